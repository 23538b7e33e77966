import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** One server-sent event; `data` is JSON-encoded unless it is already a string (`[DONE]`). */
export interface SseEvent {
  event?: string;
  data: unknown;
}

export interface SseOptions {
  /** milliseconds to wait before each event after the first */
  delayMs?: number;
  /** drop the connection after this many events (a stream cut mid-way) */
  cutAfter?: number;
  /** the client went away or the server is closing */
  signal?: AbortSignal;
}

function frame(e: SseEvent): string {
  const data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
  return `${e.event === undefined ? '' : `event: ${e.event}\n`}data: ${data}\n\n`;
}

function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => res.write(chunk, (err) => (err ? reject(err) : resolve())));
}

/** Streams events as `text/event-stream`; returns how many were written. */
export async function writeSse(
  res: ServerResponse,
  events: readonly SseEvent[],
  opts: SseOptions = {},
): Promise<number> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  let written = 0;
  try {
    for (const e of events) {
      if (opts.cutAfter !== undefined && written >= opts.cutAfter) {
        res.destroy();
        return written;
      }
      if (written > 0 && (opts.delayMs ?? 0) > 0)
        await sleep(opts.delayMs, undefined, { signal: opts.signal });
      if (opts.signal?.aborted === true || res.destroyed) return written;
      await write(res, frame(e));
      written++;
    }
  } catch (e) {
    if (opts.signal?.aborted === true || res.destroyed) return written;
    throw e;
  }
  if (opts.cutAfter !== undefined && written >= opts.cutAfter) res.destroy();
  else res.end();
  return written;
}
