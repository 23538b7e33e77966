import { setTimeout as sleep } from 'node:timers/promises';
import type { RunWatch } from '../backend/Backend.ts';
import { Backoff, RECONNECT } from './backoff.ts';
import { followEventStream } from './eventStream.ts';
import { seg, type HttpClient } from './httpClient.ts';
import type { ReconnectNotice } from './reconnectNotice.ts';
import { isTransient, RemoteError, shortReason } from './remoteError.ts';

const TERMINAL = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

export interface HttpWatchOptions {
  /** longest wait while a step runs (its output is read by polling: logs are not events) */
  busyMs: number;
  /** longest wait otherwise (the events wake the follower at once; this is a safety net) */
  idleMs: number;
}

/**
 * Remote following: the run's event stream (`GET /runs/{id}/stream`) wakes the follower as soon as
 * something happens; the follower's reads that fail while the server is away are retried with
 * backoff for up to a minute, then it gives up with a clear error. "reconnecting…" is noted on
 * stderr while either fails.
 */
export class HttpWatch implements RunWatch {
  private changed = false;
  private wake: (() => void) | null = null;
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private readonly reads = new Backoff(RECONNECT);

  constructor(
    private readonly http: HttpClient,
    private readonly runId: string,
    signal: AbortSignal,
    private readonly notice: ReconnectNotice,
    note: (line: string) => void,
    private readonly o: HttpWatchOptions = { busyMs: 250, idleMs: 2_000 },
  ) {
    this.signal = AbortSignal.any([signal, this.stop.signal]);
    void followEventStream(http, `/runs/${seg(runId)}/stream`, {
      signal: this.signal,
      onEvent: () => this.poke(),
      onOpen: () => {
        notice.recovered('stream');
        this.poke();
      },
      onRetry: (reason) => notice.failed('stream', reason),
      onFatal: (e) => {
        notice.recovered('stream');
        note(`note: no live event stream (${(e as Error).message}); polling instead`);
      },
      isLast: (e) => TERMINAL.has(e.event),
    });
  }

  async next(busy: boolean): Promise<void> {
    if (!this.changed && !this.signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.signal.removeEventListener('abort', done);
          this.wake = null;
          resolve();
        };
        const timer = setTimeout(done, busy ? this.o.busyMs : this.o.idleMs);
        this.wake = done;
        this.signal.addEventListener('abort', done, { once: true });
      });
    }
    this.changed = false;
  }

  async failed(e: unknown): Promise<void> {
    if (!isTransient(e)) throw e;
    const reason = shortReason(e);
    const delay = this.reads.failed();
    if (delay === null) {
      throw new RemoteError(
        'unreachable',
        `gave up following run ${this.runId}: Baton at ${this.http.server} did not answer for ${RECONNECT.giveUpMs / 1000} s (${reason})`,
        {
          hint: `the run goes on on the server; follow it again with \`baton logs ${this.runId} -f\``,
          cause: e,
        },
      );
    }
    this.notice.failed('reads', reason);
    await sleep(delay, undefined, { signal: this.signal }).catch(() => undefined);
  }

  ok(): void {
    if (!this.reads.failing) return;
    this.reads.ok();
    this.notice.recovered('reads');
  }

  close(): void {
    this.stop.abort();
  }

  private poke(): void {
    this.changed = true;
    this.wake?.();
  }
}
