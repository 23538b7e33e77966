/**
 * Test kit for the live streams: a Fastify server with only the stream routes on 127.0.0.1:0, a
 * hand-written SSE client (raw node:http, pausable socket) and an outbox writer.
 */
import { request, type IncomingMessage, type ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../src/api/apiDeps.ts';
import { getEventBroadcaster, type EventBroadcaster } from '../../src/api/streams/eventBroadcaster.ts';
import type { StreamOptions } from '../../src/api/streams/streamOptions.ts';
import { streamRoutes } from '../../src/api/streams/streamRoutes.ts';
import type { Config } from '../../src/config/configSchema.ts';
import { Engine } from '../../src/engine/engine.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import type { NewEvent, Store } from '../../src/engine/ports/store.ts';

export interface StreamServer {
  app: FastifyInstance;
  url: string;
  deps: ApiDeps;
  broadcaster: EventBroadcaster;
  close(): Promise<void>;
}

export async function startStreamServer(
  store: Store,
  streams: Partial<StreamOptions> = {},
  engine?: Engine,
): Promise<StreamServer> {
  const shutdown = new AbortController();
  const deps: ApiDeps = {
    engine: engine ?? new Engine({ store }),
    store,
    config: {} as Config,
    logger: silentLogger,
    shutdown: shutdown.signal,
  };
  const app = Fastify({ logger: false });
  await app.register(async (scope) => streamRoutes(scope, { ...deps, streams }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    deps,
    broadcaster: getEventBroadcaster(deps),
    async close() {
      shutdown.abort();
      await app.close();
    },
  };
}

/** Appends `n` events in one transaction; returns nothing (ids are read back by the tests). */
export async function appendEvents(
  store: Store,
  n: number,
  opts: { runId?: string | null; type?: string; payloadBytes?: number; tag?: string } = {},
): Promise<void> {
  const filler = opts.payloadBytes ? 'x'.repeat(opts.payloadBytes) : undefined;
  const events: NewEvent[] = [];
  for (let i = 0; i < n; i++) {
    events.push({
      type: opts.type ?? 'test.tick',
      runId: opts.runId ?? null,
      stepId: null,
      payload: { i, ...(opts.tag ? { tag: opts.tag } : {}), ...(filler ? { filler } : {}) },
    });
  }
  await store.transaction(async (tx) => tx.insertEvents(events, Date.now()));
}

export async function allEventIds(store: Store, runId?: string): Promise<number[]> {
  const ids: number[] = [];
  let after = 0;
  for (;;) {
    const page = await store.listEvents(after, 1000, runId);
    for (const e of page) ids.push(e.id);
    if (page.length < 1000) return ids;
    after = page[page.length - 1]!.id;
  }
}

export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comments: string[];
}

/** A Server-Sent Events client over raw HTTP: parses the stream itself; the socket can be paused. */
export class SseClient {
  readonly messages: SseMessage[] = [];
  status = 0;
  contentType = '';
  ended = false;
  private buf = '';
  private waiters: Array<() => void> = [];
  private constructor(
    private readonly req: ClientRequest,
    private res: IncomingMessage | null,
  ) {}

  static connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
      const c = new SseClient(req, null);
      req.on('response', (res) => {
        c.res = res;
        c.status = res.statusCode ?? 0;
        c.contentType = String(res.headers['content-type'] ?? '');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => c.onData(chunk));
        res.on('end', () => c.onEnd());
        res.on('close', () => c.onEnd());
        res.on('error', () => c.onEnd());
        resolve(c);
      });
      req.on('error', (err) => {
        if (c.res) c.onEnd();
        else reject(err);
      });
      req.end();
    });
  }

  /** messages with an `event:` or `data:` (not bare comments / retry hints) */
  get events(): Array<SseMessage & { id: string; event: string; data: string }> {
    return this.messages.filter(
      (m): m is SseMessage & { id: string; event: string; data: string } =>
        m.data !== undefined && m.id !== undefined && m.event !== undefined,
    );
  }

  /** ids of delivered outbox events (not `dropped` / `shutdown`) */
  get eventIds(): number[] {
    return this.events
      .filter((m) => m.event !== 'dropped' && m.event !== 'shutdown')
      .map((m) => Number(m.id));
  }

  get comments(): string[] {
    return this.messages.flatMap((m) => m.comments);
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let i: number;
    while ((i = this.buf.indexOf('\n\n')) >= 0) {
      const block = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 2);
      const m: SseMessage = { comments: [] };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          m.comments.push(line.slice(1).trim());
          continue;
        }
        const c = line.indexOf(':');
        const field = c < 0 ? line : line.slice(0, c);
        let value = c < 0 ? '' : line.slice(c + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'id') m.id = value;
        else if (field === 'event') m.event = value;
        else if (field === 'data') m.data = m.data === undefined ? value : `${m.data}\n${value}`;
        else if (field === 'retry') m.retry = Number(value);
      }
      this.messages.push(m);
    }
    this.notify();
  }

  private onEnd(): void {
    if (this.ended) return;
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `pred` holds (checked on every arrival); rejects after `timeoutMs`. */
  async waitFor(pred: (c: SseClient) => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `SSE client: timed out waiting for ${what} (${this.eventIds.length} events, ended=${this.ended})`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  pause(): void {
    this.res?.pause();
  }

  resume(): void {
    this.res?.resume();
  }

  /** forced disconnect */
  destroy(): void {
    this.req.destroy();
    this.res?.destroy();
  }
}

/** The `ws` client (a dependency of @fastify/websocket), typed by the little the tests use. */
export interface WsClient {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  terminate(): void;
  on(event: 'message', l: (data: Buffer) => void): void;
  on(event: 'open', l: () => void): void;
  on(event: 'close', l: (code: number, reason: Buffer) => void): void;
  on(event: 'error', l: (err: Error) => void): void;
  _socket: { pause(): void; resume(): void };
}

const require = createRequire(import.meta.url);
const WebSocketCtor = require('ws') as new (url: string) => WsClient;

/** `setup` runs before the socket opens (a first message may arrive in the same tick as 'open'). */
export function openWs(url: string, setup?: (ws: WsClient) => void): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocketCtor(url);
    setup?.(ws);
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

export async function waitUntil(
  pred: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
