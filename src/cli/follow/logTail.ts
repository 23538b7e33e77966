import type { LogStream } from '../../engine/ports/stepExecutor.ts';
import type { Backend } from '../backend/Backend.ts';
import type { RunDetailsView } from '../backend/runView.ts';

export interface TailLine {
  stepKey: string;
  stream: LogStream;
  text: string;
}

interface Cursor {
  attempt: number;
  seq: number;
  partial: Partial<Record<LogStream, string>>;
}

const KEEP = 200;

/** Strips what would break a redrawn terminal block: escape sequences, carriage-return overwrites, tabs. */
export function cleanLine(s: string): string {
  const afterCr = s.slice(s.lastIndexOf('\r') + 1);
  return afterCr
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '') // eslint-disable-line no-control-regex
    .replace(/\x1b[@-_]/g, '') // eslint-disable-line no-control-regex
    .replace(/\t/g, '  ')
    .replace(/[\x00-\x1f\x7f]/g, ''); // eslint-disable-line no-control-regex
}

/** The newest log lines of a run's running steps, read incrementally. */
export class LogTail {
  private readonly cursors = new Map<string, Cursor>();
  private lines: TailLine[] = [];

  async update(backend: Pick<Backend, 'readLogs'>, d: RunDetailsView, signal?: AbortSignal): Promise<void> {
    for (const s of d.steps) {
      if (s.status !== 'running' || s.kind !== 'run' || s.attempt < 1) continue;
      let cur = this.cursors.get(s.id);
      if (!cur || cur.attempt !== s.attempt) {
        cur = { attempt: s.attempt, seq: -1, partial: {} };
        this.cursors.set(s.id, cur);
      }
      const chunks = await backend.readLogs(
        {
          runId: d.run.id,
          stepId: s.id,
          stepKey: s.stepKey,
          attempt: s.attempt,
          afterSeq: cur.seq,
          limit: 500,
        },
        signal,
      );
      for (const c of chunks) {
        cur.seq = c.seq;
        const parts = ((cur.partial[c.stream] ?? '') + c.data.toString('utf8')).split('\n');
        cur.partial[c.stream] = parts.pop() ?? '';
        for (const p of parts) {
          const text = cleanLine(p);
          if (text.trim() !== '') this.lines.push({ stepKey: s.stepKey, stream: c.stream, text });
        }
      }
    }
    if (this.lines.length > KEEP) this.lines = this.lines.slice(-KEEP);
  }

  /** The last `n` lines written by the steps in `running`. */
  newest(running: ReadonlySet<string>, n: number): TailLine[] {
    const out: TailLine[] = [];
    for (let i = this.lines.length - 1; i >= 0 && out.length < n; i--) {
      const line = this.lines[i];
      if (line && running.has(line.stepKey)) out.push(line);
    }
    return out.reverse();
  }
}
