import { setTimeout as sleep } from 'node:timers/promises';
import type { LogSink, LogStream } from '../../engine/ports/stepExecutor.ts';

/** A persisted unit of log: consecutive bytes of one stream. `seq` starts at 0 and increases by 1. */
export interface LogChunk {
  stream: LogStream;
  seq: number;
  data: Buffer;
  /** epoch ms of the chunk's first byte */
  at: number;
}

export interface BufferedLogSinkOptions {
  /**
   * Store chunks, in order. Called with one batch at a time; a failed call is retried with the
   * same chunks (same seqs), so it should be idempotent on seq.
   */
  persist: (chunks: LogChunk[], signal?: AbortSignal) => Promise<void>;
  /** largest chunk (default 64 KiB) */
  chunkBytes?: number;
  /** a partial chunk is persisted after this long (default 200 ms) */
  flushIntervalMs?: number;
  /** `write` returns a promise while buffered + in-flight bytes exceed this (default 1 MiB) */
  maxBufferedBytes?: number;
  /** retries of a failed persist call before giving up (default 4) */
  retries?: number;
  /** first retry delay, doubled each time (default 100 ms) */
  retryDelayMs?: number;
  /** passed to persist; aborting stops retrying */
  signal?: AbortSignal;
}

interface OpenChunk {
  stream: LogStream;
  parts: Buffer[];
  size: number;
  at: number;
}

/**
 * A LogSink that coalesces writes into chunks and persists them in the background, one call in
 * flight at a time. `write` takes ownership of the buffer it is given (do not reuse it). After a
 * persist call fails for good, later writes are dropped and `flush()` rejects with the error.
 */
export class BufferedLogSink implements LogSink {
  /** bytes accepted by `write` */
  bytesWritten = 0;
  /** bytes successfully persisted */
  bytesPersisted = 0;
  /** highest buffered + in-flight byte count seen */
  peakBufferedBytes = 0;
  /** bytes dropped after a persist failure */
  bytesDropped = 0;

  private readonly opts: Required<Omit<BufferedLogSinkOptions, 'signal'>> & {
    signal: AbortSignal | undefined;
  };
  private current: OpenChunk | null = null;
  private readonly pending: LogChunk[] = [];
  private bufferedBytes = 0;
  private inFlightBytes = 0;
  private nextSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pumpDone: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  private waiters: Array<() => void> = [];

  constructor(opts: BufferedLogSinkOptions) {
    this.opts = {
      persist: opts.persist,
      chunkBytes: opts.chunkBytes ?? 64 * 1024,
      flushIntervalMs: opts.flushIntervalMs ?? 200,
      maxBufferedBytes: opts.maxBufferedBytes ?? 1024 * 1024,
      retries: opts.retries ?? 4,
      retryDelayMs: opts.retryDelayMs ?? 100,
      signal: opts.signal,
    };
    if (!(this.opts.chunkBytes > 0)) throw new RangeError('chunkBytes must be positive');
  }

  write(stream: LogStream, chunk: Buffer): void | Promise<void> {
    if (chunk.length === 0) return;
    if (this.failure !== null) {
      this.bytesDropped += chunk.length;
      return;
    }
    this.bytesWritten += chunk.length;
    this.bufferedBytes += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      if (this.current !== null && this.current.stream !== stream) this.seal();
      const cur = (this.current ??= { stream, parts: [], size: 0, at: Date.now() });
      const take = Math.min(this.opts.chunkBytes - cur.size, chunk.length - offset);
      cur.parts.push(offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take));
      cur.size += take;
      offset += take;
      if (cur.size >= this.opts.chunkBytes) this.seal();
    }
    const total = this.bufferedBytes + this.inFlightBytes;
    if (total > this.peakBufferedBytes) this.peakBufferedBytes = total;
    if (total > this.opts.maxBufferedBytes) {
      // Over the limit: make sure something is being persisted (the pump seals the open chunk
      // when it runs dry while writers wait), so the waiters are released without the interval.
      if (!this.running && this.pending.length === 0) this.seal();
      this.kick();
      return new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.pending.length > 0) this.kick();
    // the open chunk is persisted within the interval even when nothing more is written (a step
    // that switched streams, then waits quietly, still shows its last line)
    if (this.current !== null && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.seal();
        this.kick();
      }, this.opts.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Persist everything written so far; rejects when persisting failed for good. */
  async flush(): Promise<void> {
    for (;;) {
      this.seal();
      this.kick();
      if (!this.running) break;
      await this.pumpDone;
    }
    if (this.failure !== null) throw this.failure.error;
  }

  private seal(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const cur = this.current;
    if (cur === null) return;
    this.current = null;
    const data =
      cur.parts.length === 1 && cur.parts[0] !== undefined
        ? cur.parts[0]
        : Buffer.concat(cur.parts, cur.size);
    this.pending.push({ stream: cur.stream, seq: this.nextSeq++, data, at: cur.at });
  }

  private kick(): void {
    if (this.running || this.failure !== null || this.pending.length === 0) return;
    this.running = true;
    this.pumpDone = this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        if (this.pending.length === 0 && this.waiters.length > 0) this.seal();
        if (this.pending.length === 0 || this.failure !== null) break;
        const batch = this.pending.splice(0);
        const bytes = batch.reduce((n, c) => n + c.data.length, 0);
        this.bufferedBytes -= bytes;
        this.inFlightBytes = bytes;
        try {
          await this.persistWithRetry(batch);
          this.bytesPersisted += bytes;
        } catch (error) {
          this.failure = { error };
          this.bytesDropped += bytes + this.bufferedBytes;
          this.pending.length = 0;
          this.current = null;
          this.bufferedBytes = 0;
        }
        this.inFlightBytes = 0;
        this.releaseWaiters();
      }
    } finally {
      this.running = false;
    }
  }

  private async persistWithRetry(batch: LogChunk[]): Promise<void> {
    const { signal } = this.opts;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.opts.persist(batch, signal);
        return;
      } catch (e) {
        if (attempt >= this.opts.retries || signal?.aborted) throw e;
        const delay = this.opts.retryDelayMs * 2 ** attempt;
        await sleep(delay * (0.5 + Math.random() / 2), undefined, signal ? { signal } : undefined).catch(
          () => undefined,
        );
      }
    }
  }

  private releaseWaiters(): void {
    if (this.failure === null && this.bufferedBytes + this.inFlightBytes > this.opts.maxBufferedBytes) return;
    for (const w of this.waiters.splice(0)) w();
  }
}
