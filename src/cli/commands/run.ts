import type { Command } from 'commander';
import { isTerminalRun } from '../../domain/runStatus.ts';
import { findRepoWorkflowDir } from '../../workflows/findRepoWorkflowDir.ts';
import type { CliContext } from '../context.ts';
import { EXIT, exitCodeForRun } from '../exitCodes.ts';
import { colorEnabled, makeColors } from '../follow/colors.ts';
import { followRun } from '../follow/followRun.ts';
import { LogTail } from '../follow/logTail.ts';
import { PlainProgress } from '../follow/plainProgress.ts';
import { summaryLines } from '../follow/printSummary.ts';
import type { ProgressView } from '../follow/progressView.ts';
import { TtyProgress } from '../follow/ttyProgress.ts';
import { hasLiveRunner } from '../liveRunner.ts';
import { parseInteger } from '../options.ts';
import { uniqueRunPrefix } from '../resolveRunArg.ts';
import { collectInput, parseInputs } from '../parseInputs.ts';
import { detailsJson, runJson } from '../toJson.ts';

interface RunOptions {
  input: string[];
  inputsFile?: string;
  idempotencyKey?: string;
  priority?: number;
  dryRun?: boolean;
  follow?: boolean;
}

/** Drain time for foreign steps this process may have picked up when it ran the engine itself. */
const IN_PROCESS_DRAIN_MS = 5_000;

export function registerRunCommand(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('start a run of a workflow; runs it in this process when no `baton serve` is alive')
    .argument(
      '<workflow>',
      'a registered workflow name, or the path to a workflow file (validated and registered first)',
    )
    .option('-i, --input <name=value>', 'an input value (repeatable)', collectInput, [])
    .option('--inputs-file <file>', 'inputs from a JSON or YAML file (--input values override it)')
    .option(
      '--idempotency-key <key>',
      'the same key returns the run it created before instead of starting another',
    )
    .option('--priority <n>', 'higher runs first (default: the workflow’s priority)', parseInteger)
    .option('--dry-run', 'plan and report what each step would run, without running it')
    .option('-f, --follow', 'show progress until the run ends (default on a terminal)')
    .option('--no-follow', 'only enqueue the run and print its id')
    .action(async (workflow: string, opts: RunOptions) => {
      ctx.exitCode = await runCommand(ctx, workflow, opts);
    });
}

async function runCommand(ctx: CliContext, workflowArg: string, opts: RunOptions): Promise<number> {
  const { json, quiet } = ctx.globals;
  const config = await ctx.config();
  const cwd = ctx.io.cwd;
  const inputs = await parseInputs(opts.input, opts.inputsFile, cwd);
  const [{ openBaton }, { resolveWorkflowArg }] = await Promise.all([
    import('../../main/openBaton.ts'),
    import('../resolveWorkflowArg.ts'),
  ]);
  const app = await openBaton(config, { logger: await ctx.logger(), runner: true, cwd });
  const followCtl = new AbortController();
  let drainMs = IN_PROCESS_DRAIN_MS;
  let removeHandlers = () => {};
  try {
    const wf = await resolveWorkflowArg(app.engine, workflowArg, cwd, [
      findRepoWorkflowDir(cwd),
      ...config.workflowDirs,
    ]);
    for (const w of wf.warnings) ctx.note(`warning: ${w}`);
    const inProcess = !(await hasLiveRunner(app.store, config.heartbeatMs));
    const { run, created } = await app.engine.createRun({
      workflow: wf.name,
      inputs,
      ...(opts.idempotencyKey === undefined ? {} : { idempotencyKey: opts.idempotencyKey }),
      ...(opts.priority === undefined ? {} : { priority: opts.priority }),
      dryRun: opts.dryRun === true,
      createdBy: ctx.actor(),
    });
    if (!created)
      ctx.note(
        `idempotency key "${opts.idempotencyKey ?? ''}" matched run ${run.id} (${run.status}); not starting another`,
      );

    if (run.status === 'queued') {
      const queue = await app.engine.queueSettings();
      if (queue.paused)
        ctx.note(
          `the queue is paused${queue.pausedReason ? ` (${queue.pausedReason})` : ''}: the run starts after \`baton queue resume\``,
        );
    }
    const follow = inProcess || (opts.follow ?? (ctx.isTTY && !json));
    if (!follow) {
      if (json) ctx.json({ run: runJson(run), created });
      else if (quiet) ctx.print(run.id);
      else {
        ctx.print(`run ${run.id} ${run.status} (workflow ${run.workflowName} v${run.workflowVersion})`);
        ctx.print(`  follow: baton logs ${run.id} -f    status: baton runs show ${run.id}`);
      }
      return EXIT.ok;
    }

    if (inProcess && !isTerminalRun(run.status)) {
      ctx.note(
        opts.follow === false
          ? 'no runner is alive (no `baton serve`): running the workflow in this process, --no-follow ignored'
          : 'no runner is alive (no `baton serve`): running the workflow in this process',
      );
      await app.engine.start();
    }

    // Ctrl-C: stop following (the run goes on) — or, when the run is executing here, cancel it.
    let interrupts = 0;
    const onSignal = () => {
      interrupts++;
      if (inProcess && interrupts === 1) {
        ctx.io.stderr.write(`\ncancelling run ${run.id} (Ctrl-C again to quit at once)\n`);
        app.engine.cancel(run.id, { by: ctx.actor(), reason: 'interrupted (Ctrl-C)' }).catch((e: unknown) => {
          ctx.io.stderr.write(`cannot cancel: ${(e as Error).message}\n`);
        });
        return;
      }
      followCtl.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    removeHandlers = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };

    const colors = makeColors(colorEnabled(ctx.isTTY, ctx.io.env));
    let view: ProgressView | null = null;
    if (!json && !quiet && ctx.isTTY) {
      const ref = await uniqueRunPrefix(app.store, run.id);
      const columns = () => ctx.io.stdout.columns || Number(ctx.io.env.COLUMNS) || 100;
      view = new TtyProgress(ctx.io.stdout, colors, columns, (id) => (id === run.id ? ref : id));
    } else if (!json && !quiet) view = new PlainProgress(ctx.io.stdout);
    const tail = view && ctx.isTTY ? new LogTail() : null;
    const result = await followRun(app.engine, run.id, {
      signal: followCtl.signal,
      pollMs: ctx.isTTY ? 120 : 250,
      view,
      tail,
    });

    if (result.interrupted) {
      drainMs = 0;
      const id = run.id;
      if (inProcess)
        ctx.io.stderr.write(
          `quit; run ${id} was left ${result.details.run.status} (its steps return to the queue)\n`,
        );
      else
        ctx.io.stderr.write(
          `stopped following; run ${id} goes on.\n  cancel it: baton cancel ${id}\n  follow it: baton logs ${id} -f\n`,
        );
      return EXIT.interrupted;
    }
    const d = result.details;
    if (json) ctx.json({ ...detailsJson(d), created });
    else if (quiet) ctx.print(`${d.run.id} ${d.run.status}`);
    else for (const line of summaryLines(d, colors)) ctx.print(line);
    return exitCodeForRun(d.run.status);
  } finally {
    removeHandlers();
    await app.close(drainMs);
  }
}
