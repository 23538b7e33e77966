/**
 * One Server-Sent Events response fed by the broadcaster. Frames go straight to the socket while it
 * accepts them; when it pushes back they wait in a queue bounded in bytes. A client whose queue
 * would overflow gets a final `event: dropped` carrying the last id handed to its socket (so it can
 * resume with `Last-Event-ID`) and is disconnected; nothing is buffered without bound.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { StreamEvent, SubscriberSink, Subscription } from './eventBroadcaster.ts';

export interface SseConnectionOptions {
  heartbeatMs: number;
  retryMs: number;
  maxQueueBytes: number;
  dropGraceMs: number;
  /** end the stream after delivering this run's terminal event (the run stream) */
  endOnTerminalOf?: string | undefined;
  /** called once when the response is over, whatever the reason */
  onClose?: (reason: SseCloseReason) => void;
}

export type SseCloseReason = 'client' | 'dropped' | 'completed' | 'shutdown' | 'error';

const TERMINAL = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);
const HEARTBEAT = Buffer.from(': heartbeat\n\n');
const CRLF = Buffer.from('\r\n');

/**
 * The frames of a batch, concatenated once: subscribers given the same array (every unfiltered one,
 * and those sharing a filter: see `EventBroadcaster.fanOut`) write the same Buffer.
 */
const framesByBatch = new WeakMap<readonly StreamEvent[], Buffer>();
function framesOf(events: readonly StreamEvent[]): Buffer {
  if (events.length === 1) return events[0]!.sse;
  let frames = framesByBatch.get(events);
  if (!frames) {
    frames = Buffer.concat(events.map((e) => e.sse));
    framesByBatch.set(events, frames);
  }
  return frames;
}

/** `frames` as one HTTP/1.1 chunk, framed once for every subscriber writing the same Buffer. */
const chunkByFrames = new WeakMap<Buffer, Buffer>();
function chunkOf(frames: Buffer): Buffer {
  let chunk = chunkByFrames.get(frames);
  if (!chunk) {
    chunk = Buffer.concat([Buffer.from(`${frames.length.toString(16)}\r\n`, 'latin1'), frames, CRLF]);
    chunkByFrames.set(frames, chunk);
  }
  return chunk;
}

export class SseConnection implements SubscriberSink {
  private readonly queue: Array<{ chunk: Buffer; lastId: number }> = [];
  private queuedBytes = 0;
  private waitingDrain = false;
  private lastWrittenId: number;
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private writableWaiters: Array<() => void> = [];
  private subscription: Subscription | undefined;
  private endAfterFlush = false;
  /** the socket, once the headers are out: frames are written to it directly (see `write`) */
  private socket: Socket | null = null;
  private chunked = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly opts: SseConnectionOptions,
    startId: number,
  ) {
    this.lastWrittenId = startId;
    res.on('close', () => this.finish('client'));
    res.on('error', () => this.finish('client'));
  }

  /** Sends the headers and the `retry:` hint, starts the heartbeat. */
  open(headers: Record<string, string | number | string[]>): void {
    this.res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    if (this.res.req.method === 'HEAD') {
      // the headers are the whole answer (a HEAD response has no body to stream)
      this.res.end();
      this.finish('completed');
      return;
    }
    this.res.write(`retry: ${this.opts.retryMs}\n: connected\n\n`);
    // The headers and the first chunk are on the socket now: later frames can go to it directly.
    // Not for a pipelined response still waiting for its socket (it has none yet).
    const socket = this.res.socket;
    if (socket && !socket.destroyed) {
      this.socket = socket;
      this.chunked = this.res.chunkedEncoding; // false: HTTP/1.0, the body ends with the connection
    }
    this.heartbeat = setInterval(() => {
      if (!this.closed && !this.waitingDrain && this.queue.length === 0) this.res.write(HEARTBEAT);
    }, this.opts.heartbeatMs);
    this.heartbeat.unref();
  }

  attach(s: Subscription): void {
    this.subscription = s;
    if (this.closed) s.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  push(events: readonly StreamEvent[], replay: boolean): void {
    if (this.closed || this.endAfterFlush) return;
    if (events.length === 0) return;
    const terminalRun = this.opts.endOnTerminalOf;
    // the run stream ends with the run's terminal event (and what came with it in the same batch)
    if (
      terminalRun !== undefined &&
      events.some((e) => e.record.runId === terminalRun && TERMINAL.has(e.record.type))
    )
      this.endAfterFlush = true;
    const frames = framesOf(events);
    const lastId = events[events.length - 1]!.id;
    if (!this.waitingDrain && this.queue.length === 0) {
      this.write(frames, lastId);
    } else if (!replay && this.queuedBytes + frames.length > this.opts.maxQueueBytes) {
      this.drop();
      return;
    } else {
      this.queue.push({ chunk: frames, lastId });
      this.queuedBytes += frames.length;
    }
    if (this.endAfterFlush && !this.waitingDrain && this.queue.length === 0) this.complete();
  }

  writable(): Promise<void> {
    if (this.closed || (!this.waitingDrain && this.queue.length === 0)) return Promise.resolve();
    return new Promise((r) => this.writableWaiters.push(r));
  }

  end(reason: 'shutdown' | 'error'): void {
    if (this.closed) return;
    if (reason === 'shutdown') this.res.end('event: shutdown\ndata: {}\n\n');
    else this.res.end();
    this.destroyLater(Math.min(this.opts.dropGraceMs, 1_000));
    this.finish(reason);
  }

  /**
   * One write per batch. Straight to the socket when it is known: the HTTP chunk framing of a batch
   * is done once for every subscriber (`chunkOf`), and `res.write`'s per-call work (framing, cork,
   * uncork on the next tick) is skipped — the bytes are the same, in the same order.
   */
  private write(chunk: Buffer, lastId: number): void {
    const socket = this.socket;
    let ok: boolean;
    if (socket) {
      if (socket.destroyed) return; // the client is gone: 'close' ends this connection
      ok = socket.write(this.chunked ? chunkOf(chunk) : chunk);
    } else {
      ok = this.res.write(chunk);
    }
    this.lastWrittenId = lastId;
    if (!ok) {
      this.waitingDrain = true;
      (socket ?? this.res).once('drain', () => this.flush());
    }
  }

  private flush(): void {
    this.waitingDrain = false;
    while (!this.closed && !this.waitingDrain) {
      const next = this.queue.shift();
      if (!next) break;
      this.queuedBytes -= next.chunk.length;
      this.write(next.chunk, next.lastId);
    }
    if (this.closed || this.waitingDrain) return;
    if (this.endAfterFlush) {
      this.complete();
      return;
    }
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const w of waiters) w();
  }

  /** The queue would overflow: final event with the last id the socket took, then disconnect. */
  private drop(): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
    const data = JSON.stringify({ last_event_id: this.lastWrittenId, reason: 'slow_consumer' });
    this.res.end(`id: ${this.lastWrittenId}\nevent: dropped\ndata: ${data}\n\n`);
    // a client that never reads again would keep the socket (and its buffers) forever
    this.destroyLater(this.opts.dropGraceMs);
    this.finish('dropped');
  }

  private destroyLater(ms: number): void {
    if (this.res.destroyed) return;
    const t = setTimeout(() => this.res.destroy(), ms);
    t.unref();
    this.res.once('close', () => clearTimeout(t));
  }

  private complete(): void {
    this.res.end();
    this.finish('completed');
  }

  private finish(reason: SseCloseReason): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.subscription?.close();
    this.queue.length = 0;
    this.queuedBytes = 0;
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const w of waiters) w();
    this.opts.onClose?.(reason);
  }
}
