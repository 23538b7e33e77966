import type { LogChunkRecord } from '../../domain/records.ts';
import type { StepView } from '../backend/runView.ts';
import type { CliContext } from '../context.ts';
import { LogWriter, type StreamMode } from '../follow/logWriter.ts';

/** Where `baton logs` puts the chunks it reads. */
export interface LogEmitter {
  chunk(step: StepView, c: LogChunkRecord): void;
  finish(): void;
}

/** Raw bytes, stderr to stderr; a header per step and attempt when several steps are shown. */
export function textEmitter(ctx: CliContext, mode: StreamMode, headers: boolean): LogEmitter {
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
export function jsonEmitter(ctx: CliContext): LogEmitter {
  return {
    chunk(step, c) {
      ctx.io.stdout.write(
        `${JSON.stringify({ step: step.stepKey, attempt: c.attempt, seq: c.seq, stream: c.stream, at: c.createdAt, text: c.data.toString('utf8') })}\n`,
      );
    },
    finish() {},
  };
}
