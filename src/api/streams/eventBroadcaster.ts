/**
 * One broadcaster per server: a single loop reads the events outbox (polling, woken early by
 * `poke()`) and fans each new event out to every subscriber whose filter matches. Subscribers never
 * poll the database themselves, except once to replay what they missed (`Last-Event-ID`), after
 * which they switch to the live feed without a gap or a duplicate.
 *
 * Ordering and gaps: the broadcaster keeps a cursor, the id up to which every event is settled
 * (delivered, or known never to come). On PostgreSQL ids come from a sequence, so a transaction that
 * took a lower id can commit after one that took a higher id; when the next row is not cursor + 1
 * the broadcaster holds delivery past that hole for up to `gapWaitMs` (a row is held at most that
 * long after it was first seen), then takes the hole as permanent (a rolled-back transaction) and
 * moves on. SQLite has one writer, so its ids commit in order and holes are skipped at once.
 */
import type { Logger } from '../../engine/engineDeps.ts';
import type { EventRecord, Store } from '../../engine/ports/store.ts';
import type { ApiDeps } from '../apiDeps.ts';
import { streamOptions, type StreamOptions } from './streamOptions.ts';

/** What a subscriber asks for; an absent field matches everything. */
export interface StreamFilter {
  runId?: string | undefined;
  /** event type prefixes (`run.`, `step.failed`): an event matches when its type starts with one */
  typePrefixes?: readonly string[] | undefined;
  /** only events of these workspaces (the caller's readable ones; undefined: every event) */
  workspaceIds?: readonly string[] | undefined;
}

/** The JSON shape of an event on every stream (SSE `data:` and WebSocket messages). */
export interface WireEvent {
  id: number;
  type: string;
  run_id: string | null;
  step_id: string | null;
  payload: Record<string, unknown>;
  created_at: number;
}

export function toWire(e: EventRecord): WireEvent {
  return {
    id: e.id,
    type: e.type,
    run_id: e.runId,
    step_id: e.stepId,
    payload: e.payload,
    created_at: e.createdAt,
  };
}

/** An outbox event with its encodings, computed once and shared by every subscriber. */
export class StreamEvent {
  private jsonText: string | undefined;
  private jsonBuffer: Buffer | undefined;
  private sseFrame: Buffer | undefined;
  constructor(readonly record: EventRecord) {}
  get id(): number {
    return this.record.id;
  }
  get json(): string {
    return (this.jsonText ??= JSON.stringify(toWire(this.record)));
  }
  /** the JSON as UTF-8 bytes (a WebSocket text message), shared by every subscriber */
  get jsonBytes(): Buffer {
    return (this.jsonBuffer ??= Buffer.from(this.json));
  }
  /** `id:`, `event:` and a one-line `data:` (JSON escapes newlines), then the blank line */
  get sse(): Buffer {
    return (this.sseFrame ??= Buffer.from(
      `id: ${this.record.id}\nevent: ${sseField(this.record.type)}\ndata: ${this.json}\n\n`,
    ));
  }
}

/** SSE field values may not contain line breaks. */
function sseField(v: string): string {
  return v.replace(/[\r\n]/g, ' ');
}

export function matchesFilter(f: StreamFilter, e: EventRecord): boolean {
  if (f.runId !== undefined && e.runId !== f.runId) return false;
  if (f.workspaceIds !== undefined && (e.workspaceId == null || !f.workspaceIds.includes(e.workspaceId))) {
    return false;
  }
  if (f.typePrefixes && f.typePrefixes.length > 0) {
    for (const p of f.typePrefixes) if (e.type.startsWith(p)) return true;
    return false;
  }
  return true;
}

/** The receiving end of a subscription (an SSE response, a WebSocket). */
export interface SubscriberSink {
  /**
   * Events in id order, already filtered. `replay` is true for pages read from the database for
   * this subscriber (paced by `writable()`), false for the live feed (bounded by the sink: a sink
   * that cannot keep up drops its client).
   */
  push(events: readonly StreamEvent[], replay: boolean): void;
  /** resolves when the sink can take another replay page */
  writable(): Promise<void>;
  /** the subscription ends from the broadcaster's side (server shutdown, replay failure) */
  end(reason: 'shutdown' | 'error'): void;
}

export interface Subscription {
  readonly closed: boolean;
  /** the id up to which this subscriber has been served (delivered or filtered out) */
  readonly position: number;
  close(): void;
}

class Sub implements Subscription {
  closed = false;
  live = false;
  /** identifies the filter: subscribers with the same key receive the same selection of a batch */
  readonly filterKey: string | null;
  constructor(
    private readonly owner: EventBroadcaster,
    readonly filter: StreamFilter,
    readonly sink: SubscriberSink,
    public position: number,
  ) {
    const unfiltered =
      filter.runId === undefined && !filter.typePrefixes?.length && filter.workspaceIds === undefined;
    this.filterKey = unfiltered
      ? null
      : JSON.stringify([filter.runId ?? null, filter.typePrefixes ?? [], filter.workspaceIds ?? null]);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.detach(this);
  }
}

export type BroadcasterOptions = Pick<
  StreamOptions,
  'pollMs' | 'idlePollMs' | 'batchSize' | 'replayPageSize' | 'gapWaitMs'
>;

export interface BroadcasterStats {
  polls: number;
  /** events read from the outbox and fanned out */
  events: number;
  /** ids given up on after a hole was held `gapWaitMs` (or at once on SQLite) */
  idsSkipped: number;
  /** replay pages read from the database for resuming subscribers */
  replayPages: number;
}

export class EventBroadcaster {
  private cursor = 0;
  private readonly subs = new Set<Sub>();
  private startPromise: Promise<void> | null = null;
  private loopPromise: Promise<void> | null = null;
  private stopped = false;
  private poked = false;
  private wake: (() => void) | null = null;
  /** first time each row beyond a hole was seen (bounded by one batch) */
  private readonly firstSeen = new Map<number, number>();
  private readonly gapWaitMs: number;
  private readonly opts: BroadcasterOptions;
  readonly stats: BroadcasterStats = { polls: 0, events: 0, idsSkipped: 0, replayPages: 0 };

  constructor(
    private readonly store: Store,
    opts: Partial<BroadcasterOptions> = {},
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.opts = streamOptions(opts);
    this.gapWaitMs = this.opts.gapWaitMs ?? (store.dialect === 'postgres' ? 2_000 : 0);
  }

  /** The live cursor: every event with an id up to this one has been settled. */
  get position(): number {
    return this.cursor;
  }

  get subscriberCount(): number {
    return this.subs.size;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * A hint that events were just committed: the loop reads the outbox now instead of at its next
   * poll. Cheap and safe to call after every commit (`tx.afterCommit(() => b.poke())`).
   */
  poke(): void {
    this.poked = true;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Finds the end of the outbox and starts the loop (idempotent; `subscribe` calls it). */
  start(): Promise<void> {
    this.startPromise ??= (async () => {
      this.cursor = await findMaxEventId(this.store);
      if (this.stopped) return;
      this.loopPromise = this.loop();
    })();
    return this.startPromise;
  }

  /**
   * Subscribes from `after` (an event id: replay everything later from the database first, then go
   * live) or from now (`null`). The sink receives events in id order, each exactly once.
   */
  async subscribe(filter: StreamFilter, after: number | null, sink: SubscriberSink): Promise<Subscription> {
    await this.start();
    const s = new Sub(this, filter, sink, after ?? this.cursor);
    if (this.stopped) {
      s.closed = true;
      sink.end('shutdown');
      return s;
    }
    this.subs.add(s);
    if (this.subs.size === 1) this.poke(); // the loop may be in its idle sleep
    void this.catchUp(s);
    return s;
  }

  /** @internal called by a subscription's close() */
  detach(s: Sub): void {
    this.subs.delete(s);
  }

  /** Ends every subscription and the loop. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.poke();
    for (const s of [...this.subs]) {
      s.close();
      try {
        s.sink.end('shutdown');
      } catch (err) {
        this.logger?.warn({ err }, 'event stream: ending a subscriber failed');
      }
    }
    await this.loopPromise;
  }

  // ---- the loop --------------------------------------------------------------------------------

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let delay = this.subs.size > 0 ? this.opts.pollMs : this.opts.idlePollMs;
      try {
        this.poked = false;
        const r = await this.pollOnce();
        failures = 0;
        if (r.more) delay = 0;
        else if (r.holdMs !== undefined) delay = Math.min(delay, Math.max(1, r.holdMs));
      } catch (err) {
        failures++;
        delay = Math.min(5_000, this.opts.pollMs * 2 ** Math.min(failures, 7));
        this.logger?.warn({ err, failures }, 'event stream: reading the outbox failed');
      }
      if (this.stopped) break;
      if (delay === 0 || this.poked) {
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.wake = null;
          resolve();
        }, delay);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  private async pollOnce(): Promise<{ more: boolean; holdMs?: number }> {
    this.stats.polls++;
    const rows = await this.store.listEvents(this.cursor, this.opts.batchSize);
    if (this.stopped) return { more: false };
    const now = this.now();
    const out: StreamEvent[] = [];
    let cursor = this.cursor;
    let holdMs: number | undefined;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r.id <= cursor) continue;
      if (r.id !== cursor + 1 && this.gapWaitMs > 0) {
        const seen = this.firstSeen.get(r.id) ?? now;
        const waited = now - seen;
        if (waited < this.gapWaitMs) {
          // hold: remember when every row past the hole was first seen, deliver up to the hole
          for (let j = i; j < rows.length; j++) {
            const id = rows[j]!.id;
            if (!this.firstSeen.has(id)) this.firstSeen.set(id, now);
          }
          holdMs = this.gapWaitMs - waited;
          break;
        }
      }
      if (r.id !== cursor + 1) {
        this.stats.idsSkipped += r.id - cursor - 1;
        if (this.gapWaitMs > 0) {
          this.logger?.debug({ from: cursor + 1, to: r.id - 1 }, 'event stream: hole in event ids skipped');
        }
      }
      out.push(new StreamEvent(r));
      cursor = r.id;
    }
    if (this.firstSeen.size > 0)
      for (const id of this.firstSeen.keys()) if (id <= cursor) this.firstSeen.delete(id);
    this.fanOut(out, cursor);
    return {
      more: rows.length === this.opts.batchSize && holdMs === undefined,
      ...(holdMs === undefined ? {} : { holdMs }),
    };
  }

  /**
   * Synchronous: the cursor moves and every live subscriber receives in the same tick. The batch is
   * selected once per distinct filter, and a selection that is the whole batch is the batch itself,
   * so subscribers handed the same array share its encoding (one Buffer for all of them).
   */
  private fanOut(events: StreamEvent[], cursor: number): void {
    this.cursor = cursor;
    if (events.length === 0) return;
    this.stats.events += events.length;
    const firstId = events[0]!.id;
    let selections: Map<string, readonly StreamEvent[]> | undefined;
    for (const s of this.subs) {
      if (!s.live || s.closed) continue;
      let sel: readonly StreamEvent[];
      if (s.position >= firstId) {
        // went live while this batch was read: part of it was replayed already
        sel = events.filter((e) => e.id > s.position && matchesFilter(s.filter, e.record));
      } else if (s.filterKey === null) {
        sel = events;
      } else {
        selections ??= new Map();
        let shared = selections.get(s.filterKey);
        if (shared === undefined) {
          const picked = events.filter((e) => matchesFilter(s.filter, e.record));
          shared = picked.length === events.length ? events : picked;
          selections.set(s.filterKey, shared);
        }
        sel = shared;
      }
      if (s.position < cursor) s.position = cursor;
      if (sel.length === 0) continue;
      try {
        s.sink.push(sel, false);
      } catch (err) {
        this.logger?.warn({ err }, 'event stream: a subscriber failed; closing it');
        s.close();
        s.sink.end('error');
      }
    }
  }

  /** Replays (position, cursor] from the database, page by page, then switches the subscriber live. */
  private async catchUp(s: Sub): Promise<void> {
    const page = this.opts.replayPageSize;
    try {
      while (!s.closed) {
        const target = this.cursor;
        if (s.position >= target) {
          s.live = true; // same tick as the check: nothing between target and live is missed
          return;
        }
        this.stats.replayPages++;
        const rows = await this.store.listEvents(s.position, page, s.filter.runId);
        if (s.closed) return;
        let reached = rows.length < page;
        const sel: StreamEvent[] = [];
        for (const r of rows) {
          if (r.id > target) {
            reached = true;
            break;
          }
          if (matchesFilter(s.filter, r)) sel.push(new StreamEvent(r));
        }
        s.position = reached ? target : (rows[rows.length - 1]?.id ?? target);
        if (sel.length > 0) s.sink.push(sel, true);
        if (!s.closed) await s.sink.writable();
      }
    } catch (err) {
      this.logger?.warn({ err }, 'event stream: replay failed; closing the subscriber');
      s.close();
      s.sink.end('error');
    }
  }
}

/** The largest event id (0 when the outbox is empty), by galloping over `listEvents(after, 1)`. */
export async function findMaxEventId(store: Pick<Store, 'listEvents'>): Promise<number> {
  const next = async (after: number): Promise<number | undefined> =>
    (await store.listEvents(after, 1))[0]?.id;
  let lo = await next(0); // an existing id: max ≥ lo
  if (lo === undefined) return 0;
  let step = 1;
  let hi: number;
  for (;;) {
    const probe = lo + step;
    const n = await next(probe - 1);
    if (n === undefined) {
      hi = probe; // no id ≥ probe: max < probe
      break;
    }
    lo = n;
    step *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const n = await next(mid - 1);
    if (n === undefined) hi = mid;
    else lo = n;
    if (lo >= hi) break;
  }
  return lo;
}

const registry = new WeakMap<AbortSignal, EventBroadcaster>();

/**
 * The broadcaster of a server (one per `deps.shutdown` signal), created on first use and stopped
 * when the server shuts down. Every stream route shares it; the app can `poke()` it after commits.
 */
export function getEventBroadcaster(
  deps: Pick<ApiDeps, 'store' | 'logger' | 'shutdown'>,
  opts: Partial<BroadcasterOptions> = {},
): EventBroadcaster {
  let b = registry.get(deps.shutdown);
  if (b && !b.isStopped) return b;
  b = new EventBroadcaster(deps.store, opts, deps.logger);
  registry.set(deps.shutdown, b);
  const stop = (): void => void b.stop();
  if (deps.shutdown.aborted) stop();
  else deps.shutdown.addEventListener('abort', stop, { once: true });
  return b;
}
