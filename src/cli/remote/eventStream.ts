import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff, RECONNECT } from './backoff.ts';
import type { HttpClient } from './httpClient.ts';
import { connectionError } from './problemError.ts';
import { isTransient, RemoteError, shortReason } from './remoteError.ts';
import { SseParser, type SseEvent } from './sseParser.ts';

export interface EventStreamOptions {
  signal: AbortSignal;
  onEvent(e: SseEvent): void;
  /** connected (again) */
  onOpen(): void;
  /** the connection is gone; reconnecting after a backoff */
  onRetry(reason: string): void;
  /** stopped for good: the server refused the stream (401, 404…) */
  onFatal(e: unknown): void;
  /** the stream is complete after this event (the run's terminal event) */
  isLast(e: SseEvent): boolean;
  /** no byte for this long (the server sends a heartbeat every 15 s): the connection is dead */
  idleTimeoutMs?: number;
}

/**
 * Reads a Server-Sent Events route of the API until `isLast`, reconnecting whenever the connection
 * ends early (the server restarting, a proxy timing out, `event: dropped` for a slow reader) with
 * `Last-Event-ID` and capped exponential backoff. It never gives up by itself: the follower decides
 * (its reads of the run fail too when the server is gone). Never rejects.
 */
export async function followEventStream(
  http: HttpClient,
  path: string,
  o: EventStreamOptions,
): Promise<void> {
  const backoff = new Backoff({ ...RECONNECT, giveUpMs: Infinity });
  const idleMs = o.idleTimeoutMs ?? 45_000;
  let lastId = '';
  while (!o.signal.aborted) {
    let reason = 'the server ended the stream';
    const conn = new AbortController();
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => conn.abort(), idleMs);
      idle.unref();
    };
    try {
      touch();
      const signal = AbortSignal.any([o.signal, conn.signal]);
      const res = await http.open(path, lastId ? { 'last-event-id': lastId } : {}, signal);
      if (!/^text\/event-stream/i.test(res.headers.get('content-type') ?? ''))
        throw new RemoteError('bad_response', `${http.server} answered ${path} with no event stream`);
      o.onOpen();
      backoff.ok();
      let done = false;
      const parser = new SseParser((e) => {
        if (e.event === 'dropped') reason = 'the server dropped this slow reader';
        else if (e.event === 'shutdown') reason = 'the server is shutting down';
        else o.onEvent(e);
        if (o.isLast(e)) done = true;
      });
      parser.lastEventId = lastId;
      try {
        for await (const text of (res.body ?? emptyStream()).pipeThrough(new TextDecoderStream())) {
          touch();
          parser.push(text);
          if (done) break;
        }
      } catch (e) {
        if (!signal.aborted) throw connectionError(e, http.server);
        throw e;
      } finally {
        lastId = parser.lastEventId;
      }
      if (done) return;
    } catch (e) {
      if (o.signal.aborted) return;
      if (conn.signal.aborted) reason = `no data for ${idleMs / 1000} s`;
      else if (!isTransient(e)) return o.onFatal(e);
      else reason = shortReason(e);
    } finally {
      clearTimeout(idle);
      conn.abort();
    }
    o.onRetry(reason);
    await sleep(backoff.failed() ?? RECONNECT.maxMs, undefined, { signal: o.signal }).catch(() => undefined);
  }
}

function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (c) => c.close() });
}
