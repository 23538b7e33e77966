/**
 * The PostgreSQL outbox caveat: ids come from a sequence, so a transaction holding a lower id can
 * commit after one with a higher id. The broadcaster must hold delivery past the hole (bounded), not
 * jump over it and lose the late event.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/engine/ports/store.ts';
import { createTestDb, TEST_PG_URL, type TestDb } from '../helpers/dialects.ts';
import {
  allEventIds,
  appendEvents,
  SseClient,
  sleep,
  startStreamServer,
  type StreamServer,
} from './streamTestKit.ts';

describe('PostgreSQL outbox gaps', () => {
  let db: TestDb;
  let store: Store;
  let raw: pg.Client;
  let server: StreamServer | undefined;
  const clients: SseClient[] = [];

  beforeEach(async () => {
    db = await createTestDb('postgres');
    store = await db.open();
    raw = new pg.Client({ connectionString: TEST_PG_URL });
    await raw.connect();
    await raw.query(`set search_path to "${db.storeOptions.schema}"`);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await raw.end().catch(() => undefined);
    await server?.close();
    server = undefined;
    await db.cleanup();
  });

  /** BEGIN and insert one event, leaving the transaction open; returns its id */
  async function openTxWithEvent(tag: string): Promise<number> {
    await raw.query('begin');
    const r = await raw.query<{ id: string | number }>(
      `insert into events (run_id, step_id, type, payload, created_at) values (null, null, 'test.held', $1, $2) returning id`,
      [JSON.stringify({ tag }), Date.now()],
    );
    return Number(r.rows[0]!.id);
  }

  const connect = async (headers: Record<string, string> = {}): Promise<SseClient> => {
    const c = await SseClient.connect(`${server!.url}/api/v1/stream`, headers);
    clients.push(c);
    return c;
  };

  it('holds delivery past a hole until the transaction with the lower id commits, then delivers in id order', async () => {
    server = await startStreamServer(store, { pollMs: 20, gapWaitMs: 5_000 });
    const c = await connect();
    await appendEvents(store, 1, { tag: 'before' });
    await c.waitFor((x) => x.eventIds.length === 1, 5_000, 'first event');

    const held = await openTxWithEvent('held'); // takes id N, not committed
    await appendEvents(store, 2, { tag: 'later' }); // takes N+1, N+2 and commits first
    server.broadcaster.poke();
    await sleep(400);
    expect(c.eventIds).toHaveLength(1); // N+1 and N+2 are held: N may still commit

    // a client resuming meanwhile is held at the same place
    const resumed = await connect({ 'last-event-id': String(c.eventIds[0]) });
    await sleep(100);
    expect(resumed.eventIds).toEqual([]);

    const t0 = Date.now();
    await raw.query('commit');
    server.broadcaster.poke();
    await c.waitFor((x) => x.eventIds.length === 4, 5_000, 'held events');
    expect(Date.now() - t0).toBeLessThan(2_000); // released by the commit, not by the timeout
    const ids = await allEventIds(store);
    expect(ids).toEqual([c.eventIds[0], held, held + 1, held + 2]);
    expect(c.eventIds).toEqual(ids);
    await resumed.waitFor((x) => x.eventIds.length === 3, 5_000, 'resumed client');
    expect(resumed.eventIds).toEqual(ids.slice(1));
  });

  it('moves past a hole left by a rolled-back transaction after gapWaitMs', async () => {
    const gapWaitMs = 800;
    server = await startStreamServer(store, { pollMs: 20, gapWaitMs });
    const c = await connect();
    await appendEvents(store, 1, { tag: 'before' });
    await c.waitFor((x) => x.eventIds.length === 1, 5_000, 'first event');

    const lost = await openTxWithEvent('rolled back');
    await appendEvents(store, 1, { tag: 'after' });
    const t0 = Date.now();
    server.broadcaster.poke();
    await raw.query('rollback');
    await c.waitFor((x) => x.eventIds.length === 2, 5_000, 'event past the hole');
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(gapWaitMs - 100);
    expect(waited).toBeLessThan(gapWaitMs + 1_500);
    expect(c.eventIds[1]).toBe(lost + 1);
    expect(server.broadcaster.stats.idsSkipped).toBeGreaterThanOrEqual(1);

    // later events flow without a new wait
    await appendEvents(store, 1, { tag: 'next' });
    const t1 = Date.now();
    server.broadcaster.poke();
    await c.waitFor((x) => x.eventIds.length === 3, 2_000, 'next event');
    expect(Date.now() - t1).toBeLessThan(500);
  });
});
