import type { Backend } from '../backend/Backend.ts';
import type { CliContext } from '../context.ts';
import { EXIT, exitCodeForRun } from '../exitCodes.ts';
import { colorEnabled, makeColors } from '../follow/colors.ts';
import { followRun } from '../follow/followRun.ts';
import { LogTail } from '../follow/logTail.ts';
import { PlainProgress } from '../follow/plainProgress.ts';
import { summaryLines } from '../follow/printSummary.ts';
import type { ProgressView } from '../follow/progressView.ts';
import { TtyProgress } from '../follow/ttyProgress.ts';

/** When `baton run` executes the run in its own process (no `baton serve` alive, local mode). */
export interface LocalExecution {
  inProcess: boolean;
  /** starts this process's runner */
  start?: () => Promise<void>;
  /** the first Ctrl-C cancels a run executing here */
  cancel?: (runId: string) => Promise<unknown>;
}

/** Live progress until the run ends, then its summary; the exit code says how it ended. */
export async function followStartedRun(
  ctx: CliContext,
  backend: Backend,
  runId: string,
  created: boolean,
  local: LocalExecution,
): Promise<number> {
  const { json, quiet } = ctx.globals;
  const stop = new AbortController();
  // Ctrl-C: stop following (the run goes on) — or, when the run is executing here, cancel it.
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (local.inProcess && local.cancel && interrupts === 1) {
      ctx.io.stderr.write(`\ncancelling run ${runId} (Ctrl-C again to quit at once)\n`);
      local
        .cancel(runId)
        .catch((e: unknown) => ctx.io.stderr.write(`cannot cancel: ${(e as Error).message}\n`));
      return;
    }
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const watch = backend.watchRun(runId, stop.signal);
  try {
    const colors = makeColors(colorEnabled(ctx.isTTY, ctx.io.env));
    let view: ProgressView | null = null;
    if (!json && !quiet && ctx.isTTY) {
      const ref = await backend.uniqueRunPrefix(runId, stop.signal);
      const columns = () => ctx.io.stdout.columns || Number(ctx.io.env.COLUMNS) || 100;
      view = new TtyProgress(ctx.io.stdout, colors, columns, (id) => (id === runId ? ref : id));
    } else if (!json && !quiet) view = new PlainProgress(ctx.io.stdout);
    const tail = view && ctx.isTTY ? new LogTail() : null;
    const result = await followRun(backend, runId, { signal: stop.signal, watch, view, tail });
    const d = result.details;
    if (result.interrupted || !d) {
      if (local.inProcess)
        ctx.io.stderr.write(
          `quit; run ${runId} was left ${d?.run.status ?? 'as it was'} (its steps return to the queue)\n`,
        );
      else
        ctx.io.stderr.write(
          `stopped following; run ${runId} goes on.\n  cancel it: baton cancel ${runId}\n  follow it: baton logs ${runId} -f\n`,
        );
      return EXIT.interrupted;
    }
    if (json) ctx.json({ ...d, created });
    else if (quiet) ctx.print(`${d.run.id} ${d.run.status}`);
    else for (const line of summaryLines(d, colors)) ctx.print(line);
    return exitCodeForRun(d.run.status);
  } finally {
    watch.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
