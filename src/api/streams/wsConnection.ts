/**
 * One WebSocket client of the event streams: JSON messages `{id, type, run_id, step_id, payload,
 * created_at}`, a `{subscribe: {run_id?, type?, after?}}` message (re)subscribes, and a client whose
 * `bufferedAmount` passes the bound is closed with 1013 (try again later) and the id to resume after.
 */
import type {
  EventBroadcaster,
  StreamEvent,
  StreamFilter,
  SubscriberSink,
  Subscription,
} from './eventBroadcaster.ts';

/** The part of a `ws` WebSocket this module uses (`@fastify/websocket` hands us one). */
export interface WsLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string | Buffer, options?: { binary?: boolean }): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

const OPEN = 1;
/** an event's bytes go out as a text message (ws would send a Buffer as binary by default) */
const TEXT = { binary: false } as const;
export const WS_CLOSE_TRY_AGAIN_LATER = 1013;
export const WS_CLOSE_GOING_AWAY = 1001;

export interface WsSubscribeRequest {
  run_id?: string;
  type?: string | string[];
  after?: number;
}

export interface WsConnectionOptions {
  maxWsBufferedBytes: number;
  dropGraceMs: number;
  onClose?: () => void;
  /** the caller's readable workspaces: every subscription is limited to them (undefined: all) */
  workspaceIds?: readonly string[] | undefined;
}

export class WsConnection implements SubscriberSink {
  private subscription: Subscription | undefined;
  private lastSentId = 0;
  private closed = false;
  private generation = 0;

  constructor(
    private readonly ws: WsLike,
    private readonly broadcaster: EventBroadcaster,
    private readonly opts: WsConnectionOptions,
  ) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return this.error('invalid_input', 'send JSON text messages');
      void this.onMessage(messageText(data));
    });
    ws.on('close', () => this.finish());
    ws.on('error', () => this.finish());
  }

  private async onMessage(text: string): Promise<void> {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.error('invalid_input', 'messages are JSON');
    }
    const sub = (msg as { subscribe?: unknown } | null)?.subscribe;
    if (typeof sub !== 'object' || sub === null) {
      return this.error('invalid_input', 'expected {"subscribe": {"run_id"?, "type"?, "after"?}}');
    }
    const parsed = parseSubscribe(sub as Record<string, unknown>);
    if (typeof parsed === 'string') return this.error('invalid_input', parsed);
    await this.subscribe(parsed);
  }

  /** Replaces the current subscription (if any). */
  async subscribe(req: WsSubscribeRequest): Promise<void> {
    if (this.closed) return;
    this.subscription?.close();
    this.subscription = undefined;
    const gen = ++this.generation;
    const types = req.type === undefined ? undefined : Array.isArray(req.type) ? req.type : [req.type];
    const filter: StreamFilter = {
      runId: req.run_id,
      typePrefixes: types,
      workspaceIds: this.opts.workspaceIds,
    };
    if (req.after !== undefined) this.lastSentId = req.after;
    this.sendRaw(
      JSON.stringify({
        subscribed: { run_id: req.run_id ?? null, type: types ?? null, after: req.after ?? null },
      }),
    );
    const s = await this.broadcaster.subscribe(filter, req.after ?? null, this);
    if (this.closed || gen !== this.generation) s.close();
    else {
      this.subscription = s;
      if (req.after === undefined) this.lastSentId = Math.max(this.lastSentId, s.position);
    }
  }

  push(events: readonly StreamEvent[], replay: boolean): void {
    for (const e of events) {
      if (this.closed) return;
      if (!replay && this.ws.bufferedAmount > this.opts.maxWsBufferedBytes) {
        this.drop();
        return;
      }
      if (this.ws.readyState === OPEN) this.ws.send(e.jsonBytes, TEXT); // encoded once for every subscriber
      this.lastSentId = e.id;
    }
  }

  writable(): Promise<void> {
    const low = this.opts.maxWsBufferedBytes / 2;
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.closed || this.ws.bufferedAmount <= low) resolve();
        else setTimeout(check, 10).unref();
      };
      check();
    });
  }

  end(reason: 'shutdown' | 'error'): void {
    if (this.closed) return;
    this.ws.close(
      reason === 'shutdown' ? WS_CLOSE_GOING_AWAY : 1011,
      reason === 'shutdown' ? 'server shutting down' : 'stream error',
    );
    this.terminateLater(1_000);
    this.finish();
  }

  private drop(): void {
    this.ws.close(WS_CLOSE_TRY_AGAIN_LATER, `slow consumer; resume with after=${this.lastSentId}`);
    this.terminateLater(this.opts.dropGraceMs);
    this.finish();
  }

  private terminateLater(ms: number): void {
    const t = setTimeout(() => this.ws.terminate(), ms);
    t.unref();
    this.ws.on('close', () => clearTimeout(t));
  }

  private error(code: string, message: string): void {
    this.sendRaw(JSON.stringify({ error: { code, message } }));
  }

  private sendRaw(text: string): void {
    if (!this.closed && this.ws.readyState === OPEN) this.ws.send(text);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.subscription?.close();
    this.subscription = undefined;
    this.opts.onClose?.();
  }
}

function messageText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return '';
}

/** Validates a subscribe request; returns a message on error. */
export function parseSubscribe(o: Record<string, unknown>): WsSubscribeRequest | string {
  const out: WsSubscribeRequest = {};
  for (const k of Object.keys(o)) {
    if (k !== 'run_id' && k !== 'type' && k !== 'after') return `subscribe.${k}: unknown field`;
  }
  if (o.run_id !== undefined && o.run_id !== null) {
    if (typeof o.run_id !== 'string' || o.run_id.length === 0 || o.run_id.length > 200)
      return 'subscribe.run_id: a run id';
    out.run_id = o.run_id;
  }
  if (o.type !== undefined && o.type !== null) {
    const t = o.type;
    if (typeof t === 'string') out.type = splitTypes(t);
    else if (Array.isArray(t) && t.every((x) => typeof x === 'string')) out.type = t;
    else return 'subscribe.type: an event type prefix or a list of them';
  }
  if (o.after !== undefined && o.after !== null) {
    if (typeof o.after !== 'number' || !Number.isSafeInteger(o.after) || o.after < 0)
      return 'subscribe.after: a non-negative integer event id';
    out.after = o.after;
  }
  return out;
}

/** `run.,step.failed` → ['run.', 'step.failed'] */
export function splitTypes(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}
