import { connect as tcpConnect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findMaxEventId } from '../../src/api/streams/eventBroadcaster.ts';
import type { Store } from '../../src/engine/ports/store.ts';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/dialects.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';
import {
  allEventIds,
  appendEvents,
  SseClient,
  sleep,
  startStreamServer,
  type StreamServer,
  waitUntil,
} from './streamTestKit.ts';

describe.each(DIALECTS)('SSE streams on %s', (dialect) => {
  let db: TestDb;
  let store: Store;
  let server: StreamServer | undefined;
  const clients: SseClient[] = [];

  beforeEach(async () => {
    db = await createTestDb(dialect);
    store = await db.open();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
    await db.cleanup();
  });

  const connect = async (path: string, headers: Record<string, string> = {}): Promise<SseClient> => {
    const c = await SseClient.connect(`${server!.url}${path}`, headers);
    clients.push(c);
    return c;
  };

  it('findMaxEventId gallops to the last id', async () => {
    expect(await findMaxEventId(store)).toBe(0);
    await appendEvents(store, 37);
    const ids = await allEventIds(store);
    expect(await findMaxEventId(store)).toBe(ids[ids.length - 1]);
  });

  it('reconnecting with Last-Event-ID after forced disconnects mid-burst delivers every event once, in order', async () => {
    server = await startStreamServer(store, { pollMs: 20 });
    const total = 3_000;
    let producing = true;
    const producer = (async () => {
      for (let i = 0; i < total / 30; i++) {
        await appendEvents(store, 30, { tag: `b${i}` });
        if (i % 5 === 0) server.broadcaster.poke();
        await sleep(2);
      }
      producing = false;
    })();

    const received: number[] = [];
    let lastId = 0;
    let reconnects = 0;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const c = await connect('/api/v1/stream', { 'last-event-id': String(lastId) });
      expect(c.status).toBe(200);
      expect(c.contentType).toContain('text/event-stream');
      const cut = received.length + 400 + reconnects * 37;
      // read until a few hundred more arrived (mid-burst), or the burst is over and drained
      await c.waitFor(
        (x) =>
          received.length + x.eventIds.length >= cut ||
          (!producing && received.length + x.eventIds.length >= total),
        20_000,
        'events',
      );
      c.destroy(); // forced disconnect, frames in flight are lost client-side
      const got = c.eventIds;
      received.push(...got);
      if (got.length) lastId = got[got.length - 1]!;
      if (!producing && received.length >= total) break;
      reconnects++;
    }
    await producer;
    const ids = await allEventIds(store);
    expect(ids).toHaveLength(total);
    expect(reconnects).toBeGreaterThanOrEqual(3);
    expect(received).toEqual(ids); // every event exactly once, in order
  });

  it('?last_event_id= works like the header, and bad values are a 400 problem', async () => {
    await appendEvents(store, 10);
    server = await startStreamServer(store);
    const ids = await allEventIds(store);
    const c = await connect(`/api/v1/stream?last_event_id=${ids[4]}`);
    await c.waitFor((x) => x.eventIds.length >= 5, 5_000);
    expect(c.eventIds).toEqual(ids.slice(5));
    const bad = await connect('/api/v1/stream', { 'last-event-id': 'abc' });
    expect(bad.status).toBe(400);
  });

  it('filters by run and type prefix', async () => {
    server = await startStreamServer(store, { pollMs: 20 });
    const c = await connect('/api/v1/stream?run_id=r1&type=step.,run.done');
    await appendEvents(store, 3, { runId: 'r1', type: 'step.started' });
    await appendEvents(store, 3, { runId: 'r2', type: 'step.started' });
    await appendEvents(store, 2, { runId: 'r1', type: 'other' });
    await appendEvents(store, 1, { runId: 'r1', type: 'run.done' });
    await c.waitFor((x) => x.eventIds.length >= 4, 5_000);
    await sleep(100);
    expect(c.events.map((e) => e.event)).toEqual([
      'step.started',
      'step.started',
      'step.started',
      'run.done',
    ]);
    const data = JSON.parse(c.events[0]!.data) as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(['created_at', 'id', 'payload', 'run_id', 'step_id', 'type']);
    expect(data.run_id).toBe('r1');
    expect(String(data.id)).toBe(c.events[0]!.id);
  });

  it('subscribers sharing a filter, other filters and unfiltered ones each get their own selection of one batch', async () => {
    server = await startStreamServer(store, { pollMs: 20 });
    const same = [
      await connect('/api/v1/stream?run_id=r1&type=step.'),
      await connect('/api/v1/stream?run_id=r1&type=step.'),
      await connect('/api/v1/stream?run_id=r1&type=step.'),
    ];
    const other = await connect('/api/v1/stream?run_id=r2');
    const everything = await connect('/api/v1/stream?type=x.');
    const all = await connect('/api/v1/stream');
    await sleep(50);
    // one transaction: the broadcaster reads it as one batch
    await store.transaction(async (tx) =>
      tx.insertEvents(
        [
          { type: 'x.step.a', runId: 'r1', stepId: null, payload: {} },
          { type: 'x.run.b', runId: 'r2', stepId: null, payload: {} },
          { type: 'x.step.c', runId: 'r1', stepId: null, payload: {} },
        ],
        Date.now(),
      ),
    );
    await store.transaction(async (tx) =>
      tx.insertEvents(
        [
          { type: 'step.d', runId: 'r1', stepId: null, payload: {} },
          { type: 'run.e', runId: 'r1', stepId: null, payload: {} },
          { type: 'step.f', runId: 'r2', stepId: null, payload: {} },
          { type: 'step.g', runId: 'r1', stepId: null, payload: {} },
        ],
        Date.now(),
      ),
    );
    server.broadcaster.poke();
    const ids = await allEventIds(store);
    await all.waitFor((x) => x.eventIds.length === 7, 5_000, 'all events');
    await sleep(100);
    const typesOf = (c: SseClient): string[] => c.events.map((e) => e.event);
    for (const c of same) expect(typesOf(c)).toEqual(['step.d', 'step.g']);
    expect(typesOf(other)).toEqual(['x.run.b', 'step.f']);
    expect(typesOf(everything)).toEqual(['x.step.a', 'x.run.b', 'x.step.c']);
    expect(all.eventIds).toEqual(ids);
  });

  it('an HTTP/1.0 client gets the frames unchunked, ended by the connection; HEAD gets the headers only', async () => {
    server = await startStreamServer(store, { pollMs: 20 });
    const { port } = new URL(server.url);
    const raw = (head: string): { text: () => string; ended: Promise<void>; end: () => void } => {
      const sock = tcpConnect(Number(port), '127.0.0.1');
      let text = '';
      sock.setEncoding('latin1');
      sock.on('data', (d: string) => (text += d));
      const ended = new Promise<void>((resolve) => sock.on('close', () => resolve()));
      sock.write(head);
      return { text: () => text, ended, end: () => sock.destroy() };
    };
    const old = raw('GET /api/v1/stream HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n');
    const head = raw('HEAD /api/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitUntil(() => server!.broadcaster.subscriberCount >= 1, 5_000, 'subscriber');
    await appendEvents(store, 3);
    server.broadcaster.poke();
    const ids = await allEventIds(store);
    await waitUntil(() => old.text().includes(`id: ${ids[2]}\n`), 5_000, 'three frames');
    const [headers, body] = old.text().split('\r\n\r\n', 2) as [string, string];
    expect(headers).toMatch(/^HTTP\/1\.1 200/);
    expect(headers.toLowerCase()).not.toContain('transfer-encoding');
    expect(body.startsWith('retry: ')).toBe(true);
    const frames = body.split('\n\n').filter((f) => f.startsWith('id: '));
    expect(frames.map((f) => Number(/^id: (\d+)/.exec(f)![1]))).toEqual(ids);
    expect(body).not.toMatch(/\r\n/); // no chunk framing
    await waitUntil(() => head.text().includes('\r\n\r\n'), 5_000, 'the HEAD response');
    expect(head.text()).toMatch(/^HTTP\/1\.1 200/);
    expect(head.text()).toContain('text/event-stream');
    expect(head.text().split('\r\n\r\n')[1]).toBe(''); // no body bytes on a HEAD response
    await server.close();
    server = undefined;
    await old.ended; // the server ends the HTTP/1.0 body by closing the connection
    expect(old.text()).toContain('event: shutdown');
    head.end();
  });

  it('sends the retry hint and a heartbeat comment', async () => {
    server = await startStreamServer(store, { heartbeatMs: 100, retryMs: 1234 });
    const c = await connect('/api/v1/stream');
    expect(c.status).toBe(200);
    await c.waitFor((x) => x.comments.filter((m) => m === 'heartbeat').length >= 2, 3_000, 'heartbeats');
    expect(c.messages[0]?.retry).toBe(1234);
  });

  it('ends every stream when the server shuts down', async () => {
    server = await startStreamServer(store);
    const c = await connect('/api/v1/stream');
    const t0 = Date.now();
    await server.close();
    server = undefined;
    await c.waitFor((x) => x.ended, 3_000, 'end');
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(c.messages.at(-1)?.event).toBe('shutdown');
  });
});

describe('SSE backpressure', () => {
  let db: TestDb;
  let store: Store;
  let server: StreamServer | undefined;
  const clients: SseClient[] = [];
  beforeEach(async () => {
    db = await createTestDb('sqlite');
    store = await db.open();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
    await db.cleanup();
  });

  it('cuts off a stalled client with a final `dropped` event while another keeps receiving', async () => {
    server = await startStreamServer(store, { pollMs: 10, maxQueueBytes: 64 * 1024, dropGraceMs: 20_000 });
    const stalled = await SseClient.connect(`${server.url}/api/v1/stream`);
    const healthy = await SseClient.connect(`${server.url}/api/v1/stream`);
    clients.push(stalled, healthy);
    await sleep(50);
    stalled.pause(); // stops reading: TCP backpressure reaches the server
    expect(server.broadcaster.subscriberCount).toBe(2);

    // flood (4 KiB events) until the server drops the stalled client; bounded in count
    let batches = 0;
    while (server.broadcaster.subscriberCount === 2 && batches < 150) {
      await appendEvents(store, 50, { payloadBytes: 4096 });
      server.broadcaster.poke();
      batches++;
      await sleep(5);
    }
    expect(server.broadcaster.subscriberCount).toBe(1);
    await appendEvents(store, 10, { tag: 'after-drop' });
    server.broadcaster.poke();

    const ids = await allEventIds(store);
    await healthy.waitFor(
      (x) => x.eventIds.length === ids.length,
      30_000,
      'healthy client to get everything',
    );
    expect(healthy.eventIds).toEqual(ids);
    expect(healthy.ended).toBe(false);

    // the stalled client reads on: a prefix of the events, then `dropped` with the last id, then the end
    stalled.resume();
    await stalled.waitFor((x) => x.ended, 20_000, 'stalled client to end');
    const got = stalled.eventIds;
    const last = stalled.events.at(-1)!;
    expect(last.event).toBe('dropped');
    const info = JSON.parse(last.data) as { last_event_id: number };
    expect(got.length).toBeLessThan(ids.length);
    expect(got).toEqual(ids.slice(0, got.length));
    expect(info.last_event_id).toBe(got.at(-1) ?? 0);
    expect(Number(last.id)).toBe(info.last_event_id);

    // and it can resume from there without a gap
    const again = await SseClient.connect(`${server.url}/api/v1/stream`, {
      'last-event-id': String(info.last_event_id),
    });
    clients.push(again);
    await again.waitFor((x) => x.eventIds.length === ids.length - got.length, 20_000, 'resume');
    expect([...got, ...again.eventIds]).toEqual(ids);
  });
});

describe.each(DIALECTS)('run stream on %s', (dialect) => {
  let h: Harness;
  let server: StreamServer | undefined;
  beforeEach(async () => {
    h = await createHarness(dialect);
    await h.register(`
name: two
steps:
  - id: a
    run: echo a
  - id: b
    needs: a
    run: echo b
`);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await h.close();
  });

  it('streams a run from its first event and ends after its terminal event', async () => {
    server = await startStreamServer(h.store, { pollMs: 20 }, h.engine);
    const run = await h.start('two');
    const c = await SseClient.connect(`${server.url}/api/v1/runs/${run.id}/stream`);
    try {
      await c.waitFor((x) => x.ended, 20_000, 'run stream to end');
      const types = c.events.map((e) => e.event);
      expect(types[0]).toBe('run.created');
      expect(types.at(-1)).toBe('run.succeeded');
      expect(types).toContain('step.succeeded');
      const ids = c.eventIds;
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(await allEventIds(h.store, run.id));

      // a finished run: the whole history, then the end; resuming after the last id ends at once
      const again = await SseClient.connect(`${server.url}/api/v1/runs/${run.id}/stream`);
      await again.waitFor((x) => x.ended, 5_000, 'finished run stream to end');
      expect(again.eventIds).toEqual(ids);
      const after = await SseClient.connect(`${server.url}/api/v1/runs/${run.id}/stream`, {
        'last-event-id': String(ids.at(-1)),
      });
      await after.waitFor((x) => x.ended, 5_000, 'resumed finished run stream to end');
      expect(after.eventIds).toEqual([]);
      const missing = await SseClient.connect(`${server.url}/api/v1/runs/nope/stream`);
      expect(missing.status).toBe(404);
      missing.destroy();
    } finally {
      c.destroy();
    }
  });
});
