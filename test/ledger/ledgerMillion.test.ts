import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_STATUSES } from '../../src/ledger/ledgerTypes.ts';
import type { LedgerStore } from '../../src/ledger/ledgerStore.ts';
import { openLedgerStore } from '../../src/ledger/openLedgerStore.ts';
import { openSqlite } from '../../src/store/dialects/sqlite/openSqlite.ts';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/dialects.ts';
import { ledgerApp, parseCsv, rawLedgerDb, testConfig } from './ledgerHelpers.ts';

const N = 1_000_000;
const BASE = Date.parse('2024-01-01T00:00:00Z');
const TASKS = 8;
// row i: task t<i % 8>, status <i % 6>, started_at BASE + floor(i / 7) s (ties broken by id)
const statusOf = (i: number) => TASK_STATUSES[i % TASK_STATUSES.length]!;
const idOf = (i: number) => `00000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;

/** Inserts the million rows in bulk: raw batched inserts in one transaction / one INSERT … SELECT. */
async function fill(db: TestDb): Promise<void> {
  if (db.dialect === 'sqlite') {
    const { raw } = openSqlite(join(db.storeOptions.dataDir, 'baton.db'));
    const cols = '(id, task, run_id, status, started_at, inputs, created_at, updated_at)';
    const B = 500;
    const stmt = raw.prepare(
      `insert into agents_tasks ${cols} values ${Array.from({ length: B }, () => '(?,?,?,?,?,?,?,?)').join(',')}`,
    );
    raw.transaction(() => {
      for (let s = 0; s < N; s += B) {
        const args: unknown[] = [];
        for (let i = s; i < s + B; i++) {
          const t = BASE + Math.floor(i / 7) * 1000;
          args.push(idOf(i), `t${i % TASKS}`, `run-${i % 1000}`, statusOf(i), t, `{"i":${i}}`, t, t);
        }
        stmt.run(...args);
      }
    })();
    raw.close();
    return;
  }
  const k = rawLedgerDb(db);
  try {
    const statuses = sql.raw(`array[${TASK_STATUSES.map((s) => `'${s}'`).join(',')}]`);
    await sql`insert into agents_tasks (id, task, run_id, status, started_at, inputs, created_at, updated_at)
      select '00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'), 't' || (i % ${TASKS}), 'run-' || (i % 1000),
             (${statuses})[(i % 6) + 1], ${BASE}::bigint + (i / 7) * 1000, jsonb_build_object('i', i),
             ${BASE}::bigint + (i / 7) * 1000, ${BASE}::bigint + (i / 7) * 1000
      from generate_series(0, ${N - 1}) as i`.execute(k);
    await sql`analyze agents_tasks`.execute(k);
  } finally {
    await k.destroy();
  }
}

describe.each(DIALECTS)('task ledger with 1,000,000 rows on %s', (dialect) => {
  let db: TestDb;
  let ledger: LedgerStore;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    const store = await db.open();
    await fill(db);
    ledger = openLedgerStore(db.storeOptions);
    app = await ledgerApp(store, { config: testConfig(db), ledger });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await ledger.close();
    await db.cleanup();
  });

  async function walk(qs: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let last = '';
    do {
      const url: string = `/agents/tasks/paged?limit=1000&${qs}${cursor ? `&cursor=${cursor}` : ''}`;
      const r = await app.inject({ url });
      expect(r.statusCode, r.body).toBe(200);
      const page = r.json<{ items: Array<{ id: string; started_at: string }>; next_cursor: string | null }>();
      for (const it of page.items) {
        const key = `${it.started_at}|${it.id}`;
        expect(key > last).toBe(true); // strictly increasing (started_at, id): no repeat, no reorder
        last = key;
        ids.push(it.id);
      }
      cursor = page.next_cursor;
    } while (cursor);
    return ids;
  }

  function expected(pred: (i: number) => boolean): string[] {
    const out: string[] = [];
    for (let i = 0; i < N; i++) if (pred(i)) out.push(idOf(i));
    return out; // ids increase with i, and so does started_at
  }

  it('pages through with filters returning each row exactly once', async () => {
    const a = await walk('task=t3&status=failed');
    expect(a).toEqual(expected((i) => i % TASKS === 3 && statusOf(i) === 'failed'));
    const since = BASE + 100_000 * 1000;
    const b = await walk(`status=running,skipped&since=${new Date(since).toISOString()}`);
    expect(b).toEqual(
      expected(
        (i) =>
          (statusOf(i) === 'running' || statusOf(i) === 'skipped') &&
          BASE + Math.floor(i / 7) * 1000 >= since,
      ),
    );
  }, 120_000);

  it('a page answers fast, and the CSV export stops at 10,000 rows', async () => {
    const t0 = performance.now();
    for (let i = 0; i < 50; i++)
      await app.inject({ url: `/agents/tasks/paged?limit=100&task=t${i % TASKS}` });
    expect((performance.now() - t0) / 50).toBeLessThan(50);
    const csv = parseCsv((await app.inject({ url: '/agents/tasks/paged.csv' })).body);
    expect(csv).toHaveLength(10_001);
    expect(csv[1]![0]).toBe(idOf(0));
    expect(csv[10_000]![0]).toBe(idOf(9_999));
  }, 60_000);
});
