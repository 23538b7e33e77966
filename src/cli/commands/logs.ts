import { Option, type Command } from 'commander';
import { didYouMeanSuffix } from '../../domain/didYouMean.ts';
import { BatonError } from '../../domain/errors.ts';
import { isTerminalRun } from '../../domain/runStatus.ts';
import type { Backend } from '../backend/Backend.ts';
import type { RunDetailsView, StepView } from '../backend/runView.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exitCodes.ts';
import { retrying } from '../follow/retrying.ts';
import { LogDrain } from '../logs/LogDrain.ts';
import { jsonEmitter, textEmitter } from '../logs/logEmitter.ts';
import { parsePositiveInteger } from '../options.ts';
import { normalizeRunArg } from '../normalizeRunArg.ts';

interface LogsOptions {
  follow?: boolean;
  attempt?: number;
  stream?: 'stdout' | 'stderr' | 'all';
}

export function registerLogsCommand(program: Command, ctx: CliContext): void {
  program
    .command('logs')
    .description('print the output of a run’s steps (raw bytes; stderr to stderr)')
    .argument('<run>', 'a run id or a unique prefix of one')
    .argument('[step]', 'one step (default: every step in order, each under a header)')
    .option('-f, --follow', 'keep printing new output until the run ends')
    .option('--attempt <n>', 'only this attempt (default: all attempts)', parsePositiveInteger)
    .addOption(
      new Option(
        '--stream <stream>',
        'stdout or stderr only, or all merged into stdout with a prefix',
      ).choices(['stdout', 'stderr', 'all']),
    )
    .action(async (runArg: string, step: string | undefined, opts: LogsOptions) => {
      ctx.exitCode = await logsCommand(ctx, runArg, step, opts);
    });
}

async function logsCommand(
  ctx: CliContext,
  runArg: string,
  stepArg: string | undefined,
  opts: LogsOptions,
): Promise<number> {
  const ref = normalizeRunArg(runArg);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  if (opts.follow) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    return await ctx.withBackend(async (backend) => {
      const first = await backend.getRun(ref, stop.signal);
      const emit = ctx.globals.json
        ? jsonEmitter(ctx)
        : textEmitter(ctx, opts.stream ?? 'default', stepArg === undefined);
      try {
        await printLogs(
          backend,
          first,
          stepArg,
          opts,
          new LogDrain(backend, opts.attempt, emit),
          stop.signal,
        );
      } catch (e) {
        if (!stop.signal.aborted) throw e;
      }
      emit.finish();
      return stop.signal.aborted ? EXIT.interrupted : EXIT.ok;
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Prints what is stored; with `-f`, goes on until the run is terminal (or `signal` aborts). */
async function printLogs(
  backend: Backend,
  first: RunDetailsView,
  stepArg: string | undefined,
  opts: LogsOptions,
  drain: LogDrain,
  signal: AbortSignal,
): Promise<void> {
  const runId = first.run.id;
  const watch = opts.follow ? backend.watchRun(runId, signal) : null;
  let d = first;
  try {
    for (;;) {
      const steps = selectSteps(d.steps, stepArg, runId);
      const had = steps[0]?.attempt ?? 0;
      if (stepArg !== undefined && opts.attempt !== undefined && !opts.follow && had < opts.attempt) {
        throw new BatonError(
          'not_found',
          `step ${stepArg} has no attempt ${opts.attempt} (it has had ${had})`,
          {
            field: 'attempt',
          },
        );
      }
      await retrying(watch, signal, () => drain.drain(steps, signal));
      if (!watch || isTerminalRun(d.run.status) || signal.aborted) return;
      await watch.next(steps.some((s) => s.status === 'running'));
      const next = await retrying(watch, signal, () => backend.getRun(runId, signal));
      if (!next) return;
      d = next;
    }
  } finally {
    watch?.close();
  }
}

function selectSteps(all: StepView[], stepArg: string | undefined, runId: string): StepView[] {
  const sorted = [...all].sort((a, b) => a.position - b.position);
  if (stepArg === undefined) return sorted;
  const s = sorted.find((x) => x.stepKey === stepArg);
  if (!s) {
    const keys = sorted.map((x) => x.stepKey);
    throw new BatonError(
      'not_found',
      `run ${runId} has no step "${stepArg}"${didYouMeanSuffix(stepArg, keys)}`,
      {
        field: 'step',
        hint: `steps: ${keys.join(', ')}`,
      },
    );
  }
  return [s];
}
