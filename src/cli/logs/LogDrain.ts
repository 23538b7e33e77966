import { isTerminalStep } from '../../domain/stepStatus.ts';
import type { Backend } from '../backend/Backend.ts';
import type { StepView } from '../backend/runView.ts';
import { readChunks } from '../follow/readChunks.ts';
import type { LogEmitter } from './logEmitter.ts';

/**
 * Prints every chunk not printed yet of the given steps and attempts, each exactly once: a cursor
 * (the last seq printed) per step attempt moves only past what was emitted, so a read that fails
 * (the server away) is simply read again. The attempts of a step that was finished when its state
 * was read are complete once drained, and not read again.
 */
export class LogDrain {
  private readonly cursors = new Map<string, number>();
  private readonly complete = new Set<string>();

  constructor(
    private readonly backend: Pick<Backend, 'readLogs'>,
    private readonly onlyAttempt: number | undefined,
    private readonly emit: LogEmitter,
  ) {}

  async drain(steps: readonly StepView[], signal: AbortSignal): Promise<void> {
    for (const s of steps) {
      const finished = isTerminalStep(s.status);
      for (const attempt of this.attempts(s)) {
        const key = `${s.id}#${attempt}`;
        if (this.complete.has(key)) continue;
        const chunks = await readChunks(this.backend, s, attempt, this.cursors.get(key) ?? -1, signal);
        for (const c of chunks) {
          this.emit.chunk(s, c);
          this.cursors.set(key, c.seq);
        }
        if (finished && !signal.aborted) this.complete.add(key);
      }
    }
  }

  private attempts(s: StepView): number[] {
    if (this.onlyAttempt !== undefined) return this.onlyAttempt <= s.attempt ? [this.onlyAttempt] : [];
    return Array.from({ length: Math.max(0, s.attempt) }, (_, i) => i + 1);
  }
}
