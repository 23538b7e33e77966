import type { TranscriptEvent } from '../../agents/transcript/transcriptEvent.ts';
import type { AgentEventRecord } from '../../domain/records.ts';

/** Stores transcript events, batched: every `intervalMs` or `maxBatch` events, and at the end. */
export class TranscriptWriter {
  private buffer: AgentEventRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly save: (rows: AgentEventRecord[]) => Promise<void>,
    private readonly at: { stepId: string; attempt: number },
    private readonly o: { intervalMs?: number; maxBatch?: number } = {},
  ) {}

  push(e: TranscriptEvent): void {
    const { kind, seq, at } = e;
    this.buffer.push({
      ...this.at,
      seq,
      kind,
      event: e as unknown as Record<string, unknown>,
      createdAt: at,
    });
    if (this.buffer.length >= (this.o.maxBatch ?? 200)) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.o.intervalMs ?? 250);
  }

  /** Everything pushed so far is stored (or the first storage error is thrown). */
  async flush(): Promise<void> {
    this.kick();
    await this.pending;
    if (this.failure !== undefined) {
      throw this.failure instanceof Error
        ? this.failure
        : new Error('storing the transcript failed', { cause: this.failure });
    }
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buffer;
    if (rows.length === 0) return;
    this.buffer = [];
    // one write at a time, in order; a failed batch is tried once more with the next
    this.pending = this.pending.then(async () => {
      try {
        await this.save(rows);
      } catch (e) {
        try {
          await this.save(rows);
        } catch {
          this.failure ??= e;
        }
      }
    });
  }
}
