import { setTimeout as sleep } from 'node:timers/promises';
import type { RunWatch } from './Backend.ts';

/** Local following: read the database again every `pollMs` (other processes change it too). */
export class PollWatch implements RunWatch {
  constructor(
    private readonly pollMs: number,
    private readonly signal: AbortSignal,
  ) {}

  async next(): Promise<void> {
    await sleep(this.pollMs, undefined, { signal: this.signal }).catch(() => undefined);
  }

  async failed(e: unknown): Promise<void> {
    throw e;
  }

  ok(): void {}
  close(): void {}
}
