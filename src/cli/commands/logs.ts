import { setTimeout as sleep } from 'node:timers/promises';
import { Option, type Command } from 'commander';
import { didYouMeanSuffix } from '../../domain/didYouMean.ts';
import { BatonError } from '../../domain/errors.ts';
import type { LogChunkRecord, StepRecord } from '../../domain/records.ts';
import { isTerminalRun } from '../../domain/runStatus.ts';
import type { Engine } from '../../engine/engine.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exitCodes.ts';
import { LogWriter, type StreamMode } from '../follow/logWriter.ts';
import { readChunks } from '../follow/readChunks.ts';
import { parsePositiveInteger } from '../options.ts';
import { resolveRunArg } from '../resolveRunArg.ts';

interface LogsOptions {
  follow?: boolean;
  attempt?: number;
  stream?: 'stdout' | 'stderr' | 'all';
}

const POLL_MS = 250;

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
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  if (opts.follow) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    return await ctx.withBaton(async ({ engine }) => {
      const runId = await resolveRunArg(engine, runArg);
      const emit = ctx.globals.json
        ? jsonEmitter(ctx)
        : textEmitter(ctx, opts.stream ?? 'default', stepArg === undefined);
      const cursors = new Map<string, number>();
      for (;;) {
        const d = await engine.getRun(runId);
        const steps = selectSteps(d.steps, stepArg, runId);
        if (
          stepArg !== undefined &&
          opts.attempt !== undefined &&
          !opts.follow &&
          (steps[0]?.attempt ?? 0) < opts.attempt
        ) {
          throw new BatonError(
            'not_found',
            `step ${stepArg} has no attempt ${opts.attempt} (it has had ${steps[0]?.attempt ?? 0})`,
            { field: 'attempt' },
          );
        }
        await drain(engine, runId, steps, opts.attempt, cursors, emit, stop.signal);
        if (!opts.follow || isTerminalRun(d.run.status) || stop.signal.aborted) break;
        await sleep(POLL_MS, undefined, { signal: stop.signal }).catch(() => undefined);
      }
      emit.finish();
      return stop.signal.aborted ? EXIT.interrupted : EXIT.ok;
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

interface Emitter {
  chunk(step: StepRecord, c: LogChunkRecord): void;
  finish(): void;
}

function textEmitter(ctx: CliContext, mode: StreamMode, headers: boolean): Emitter {
  const w = new LogWriter(ctx.io.stdout, ctx.io.stderr, mode);
  return {
    chunk(step, c) {
      if (!w.wants(c.stream)) return;
      if (headers) w.header(step.stepKey, c.attempt);
      w.write(c);
    },
    finish: () => w.finish(),
  };
}

/** `--json`: one JSON object per chunk and line (NDJSON). */
function jsonEmitter(ctx: CliContext): Emitter {
  return {
    chunk(step, c) {
      ctx.io.stdout.write(
        `${JSON.stringify({ step: step.stepKey, attempt: c.attempt, seq: c.seq, stream: c.stream, at: c.createdAt, text: c.data.toString('utf8') })}\n`,
      );
    },
    finish() {},
  };
}

function selectSteps(all: StepRecord[], stepArg: string | undefined, runId: string): StepRecord[] {
  const sorted = [...all].sort((a, b) => a.position - b.position);
  if (stepArg === undefined) return sorted;
  const s = sorted.find((x) => x.stepKey === stepArg);
  if (!s) {
    throw new BatonError(
      'not_found',
      `run ${runId} has no step "${stepArg}"${didYouMeanSuffix(
        stepArg,
        sorted.map((x) => x.stepKey),
      )}`,
      {
        field: 'step',
        hint: `steps: ${sorted.map((x) => x.stepKey).join(', ')}`,
      },
    );
  }
  return [s];
}

/** Prints every chunk not printed yet of the selected steps and attempts. */
async function drain(
  engine: Engine,
  runId: string,
  steps: StepRecord[],
  onlyAttempt: number | undefined,
  cursors: Map<string, number>,
  emit: Emitter,
  signal: AbortSignal,
): Promise<void> {
  for (const s of steps) {
    const attempts =
      onlyAttempt !== undefined ? (onlyAttempt <= s.attempt ? [onlyAttempt] : []) : range(1, s.attempt);
    for (const attempt of attempts) {
      const key = `${s.id}#${attempt}`;
      const chunks = await readChunks(engine, runId, s.stepKey, attempt, cursors.get(key) ?? -1, signal);
      for (const c of chunks) {
        emit.chunk(s, c);
        cursors.set(key, c.seq);
      }
    }
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
