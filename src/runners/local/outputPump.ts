import type { Readable } from 'node:stream';
import type { LogSink, LogStream } from '../../engine/ports/stepExecutor.ts';

/**
 * Moves a child's stdout/stderr into a LogSink as data arrives. When `sink.write` returns a
 * promise, every stream is paused until all such promises settled (bounded memory, nothing lost).
 * A sink failure is remembered and later output is drained and dropped, so the child never blocks.
 */
export class OutputPump {
  sinkError: unknown = undefined;
  private pendingWrites = 0;
  private open: number;
  private lastActivity = performance.now();
  private readonly closeWaiters: Array<() => void> = [];

  constructor(
    private readonly sink: LogSink,
    private readonly streams: ReadonlyArray<readonly [Readable, LogStream]>,
  ) {
    this.open = streams.length;
    for (const [readable, name] of streams) {
      readable.on('data', (chunk: Buffer) => this.onData(name, chunk));
      readable.on('error', () => undefined); // EPIPE/EIO on a destroyed pipe: 'close' follows
      readable.once('close', () => {
        this.open--;
        if (this.open === 0) for (const w of this.closeWaiters.splice(0)) w();
      });
    }
  }

  get closed(): boolean {
    return this.open === 0;
  }

  /** True while paused for the sink's backpressure. */
  get blocked(): boolean {
    return this.pendingWrites > 0;
  }

  private onData(name: LogStream, chunk: Buffer): void {
    this.lastActivity = performance.now();
    if (this.sinkError !== undefined) return;
    let r: void | Promise<void>;
    try {
      r = this.sink.write(name, chunk);
    } catch (e) {
      this.sinkError = e;
      return;
    }
    if (r === undefined) return;
    if (this.pendingWrites++ === 0) for (const [s] of this.streams) s.pause();
    r.then(
      () => this.settled(),
      (e: unknown) => {
        this.sinkError ??= e;
        this.settled();
      },
    );
  }

  private settled(): void {
    this.lastActivity = performance.now();
    if (--this.pendingWrites === 0) for (const [s] of this.streams) s.resume();
  }

  /**
   * Wait for every stream to close. Gives up (destroying the streams) after `idleMs` without
   * output while not blocked by the sink — a process outside the group may hold the pipes — or
   * when `signal` aborts. Resolves true when the streams closed by themselves.
   */
  async waitClosed(idleMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed) return true;
    const closed = await new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = (): void => finish(false);
      const check = (): void => {
        const idle = performance.now() - this.lastActivity;
        if (!this.blocked && idle >= idleMs) return finish(false);
        timer = setTimeout(check, this.blocked ? idleMs : Math.max(idleMs - idle, 1));
      };
      this.closeWaiters.push(() => finish(true));
      if (signal?.aborted) return finish(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.lastActivity = performance.now();
      check();
    });
    if (!closed) for (const [s] of this.streams) s.destroy();
    return closed;
  }
}
