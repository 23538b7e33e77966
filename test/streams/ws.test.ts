import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/engine/ports/store.ts';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/dialects.ts';
import {
  allEventIds,
  appendEvents,
  openWs,
  sleep,
  startStreamServer,
  waitUntil,
  type StreamServer,
  type WsClient,
} from './streamTestKit.ts';

interface Received {
  events: Array<Record<string, unknown> & { id: number; type: string }>;
  control: Array<Record<string, unknown>>;
  closed?: { code: number; reason: string };
}

function track(ws: WsClient): Received {
  const r: Received = { events: [], control: [] };
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    if (typeof m.id === 'number' && typeof m.type === 'string')
      r.events.push(m as Received['events'][number]);
    else r.control.push(m);
  });
  ws.on('close', (code, reason) => (r.closed = { code, reason: reason.toString('utf8') }));
  return r;
}

describe.each(DIALECTS)('WebSocket stream on %s', (dialect) => {
  let db: TestDb;
  let store: Store;
  let server: StreamServer | undefined;
  const sockets: WsClient[] = [];
  beforeEach(async () => {
    db = await createTestDb(dialect);
    store = await db.open();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.terminate();
    await server?.close();
    server = undefined;
    await db.cleanup();
  });

  it('subscribes with {subscribe: {run_id, type, after}}, replays then goes live', async () => {
    await appendEvents(store, 5, { runId: 'r1', type: 'step.started' });
    await appendEvents(store, 5, { runId: 'r2', type: 'step.started' });
    server = await startStreamServer(store, { pollMs: 20 });
    let r!: Received;
    const ws = await openWs(`${server.url.replace('http', 'ws')}/api/v1/ws`, (w) => (r = track(w)));
    sockets.push(ws);
    const ids = await allEventIds(store, 'r1');
    ws.send(JSON.stringify({ subscribe: { run_id: 'r1', type: 'step.', after: ids[1] } }));
    await waitUntil(() => r.events.length === 3, 5_000, 'replay');
    expect(r.control[0]).toEqual({ subscribed: { run_id: 'r1', type: ['step.'], after: ids[1] } });
    expect(r.events.map((e) => e.id)).toEqual(ids.slice(2));
    expect(Object.keys(r.events[0]!).sort()).toEqual([
      'created_at',
      'id',
      'payload',
      'run_id',
      'step_id',
      'type',
    ]);

    await appendEvents(store, 2, { runId: 'r1', type: 'step.finished' });
    await appendEvents(store, 2, { runId: 'r1', type: 'other' });
    await appendEvents(store, 2, { runId: 'r2', type: 'step.finished' });
    await waitUntil(() => r.events.length === 5, 5_000, 'live events');
    await sleep(100);
    expect(r.events.map((e) => e.type)).toEqual([
      'step.started',
      'step.started',
      'step.started',
      'step.finished',
      'step.finished',
    ]);

    ws.send('{"subscribe": {"after": -1}}');
    await waitUntil(() => r.control.some((m) => 'error' in m), 5_000, 'error message');
  });

  it('closes a client that stops reading with 1013 and the id to resume after', async () => {
    server = await startStreamServer(store, {
      pollMs: 10,
      maxWsBufferedBytes: 64 * 1024,
      dropGraceMs: 20_000,
    });
    const wsUrl = `${server.url.replace('http', 'ws')}/api/v1/ws`;
    let rs!: Received;
    let rf!: Received;
    const slow = await openWs(`${wsUrl}?after=0`, (ws) => (rs = track(ws)));
    const fast = await openWs(wsUrl, (ws) => (rf = track(ws)));
    sockets.push(slow, fast);
    fast.send(JSON.stringify({ subscribe: { after: 0 } }));
    await waitUntil(() => rs.control.length === 1 && rf.control.length === 1, 5_000, 'subscriptions');
    await waitUntil(() => server!.broadcaster.subscriberCount === 2, 5_000, 'subscribers');
    slow._socket.pause();

    let batches = 0;
    while (server.broadcaster.subscriberCount === 2 && batches < 150) {
      await appendEvents(store, 50, { payloadBytes: 4096 });
      server.broadcaster.poke();
      batches++;
      await sleep(5);
    }
    expect(server.broadcaster.subscriberCount).toBe(1);
    const ids = await allEventIds(store);
    await waitUntil(() => rf.events.length === ids.length, 30_000, 'fast client to get everything');
    expect(rf.events.map((e) => e.id)).toEqual(ids);

    slow._socket.resume();
    await waitUntil(() => rs.closed !== undefined, 20_000, 'slow client closed');
    expect(rs.closed?.code).toBe(1013);
    const got = rs.events.map((e) => e.id);
    expect(got).toEqual(ids.slice(0, got.length));
    expect(rs.closed?.reason).toContain(`after=${got.at(-1) ?? 0}`);
  });
});
