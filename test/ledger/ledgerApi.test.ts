import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/engine/ports/store.ts';
import { uuidv7 } from '../../src/domain/ids.ts';
import type { LedgerStore } from '../../src/ledger/ledgerStore.ts';
import { TASK_STATUSES, type LedgerTask } from '../../src/ledger/ledgerTypes.ts';
import { openLedgerStore } from '../../src/ledger/openLedgerStore.ts';
import type { LedgerDatabase } from '../../src/store/queries/ledger/ledgerSchema.ts';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/dialects.ts';
import { bulkInsert, ledgerApp, parseCsv, rawLedgerDb, testConfig } from './ledgerHelpers.ts';

type Wire = Record<string, unknown> & { id: string; status: string; started_at: string };

describe.each(DIALECTS)('task ledger API on %s', (dialect) => {
  let db: TestDb;
  let store: Store;
  let ledger: LedgerStore;
  let app: FastifyInstance;
  let raw: Kysely<LedgerDatabase>;

  beforeAll(async () => {
    db = await createTestDb(dialect);
    store = await db.open();
    ledger = openLedgerStore(db.storeOptions);
    raw = rawLedgerDb(db);
    app = await ledgerApp(store, { config: testConfig(db), ledger });
  });
  afterAll(async () => {
    await app.close();
    await ledger.close();
    await raw.destroy();
    await db.cleanup();
  });

  const post = (payload: unknown) =>
    app.inject({ method: 'POST', url: '/agents/tasks/', payload: payload as object });
  const patch = (id: string, payload: unknown) =>
    app.inject({ method: 'PATCH', url: `/agents/tasks/${id}`, payload: payload as object });

  it('creates, reads, updates with checked transitions and computed duration', async () => {
    const created = await post({
      task: 'nightly/lint',
      run_id: 'run-1',
      inputs: { branch: 'main', n: 3 },
      started_at: '2025-01-31T12:00:00Z',
    });
    expect(created.statusCode).toBe(201);
    const t = created.json<Wire>();
    expect(t).toMatchObject({
      task: 'nightly/lint',
      run_id: 'run-1',
      status: 'queued',
      started_at: '2025-01-31T12:00:00.000Z',
      finished_at: null,
      duration_ms: null,
      inputs: { branch: 'main', n: 3 },
      approval_state: null,
      webhook_notified_at: null,
      step_id: null,
    });
    expect(created.headers.location).toBe(`/agents/tasks/${t.id}`);

    const running = await patch(t.id, { status: 'running', started_at: '2025-01-31T12:00:01Z' });
    expect(running.statusCode).toBe(200);
    const done = await patch(t.id, {
      status: 'succeeded',
      finished_at: '2025-01-31T12:00:03.500Z',
      outputs_uri: 's3://bucket/out.json',
      log_excerpt: 'ok',
    });
    expect(done.json()).toMatchObject({
      status: 'succeeded',
      started_at: '2025-01-31T12:00:01.000Z',
      finished_at: '2025-01-31T12:00:03.500Z',
      duration_ms: 2500,
      outputs_uri: 's3://bucket/out.json',
    });
    const back = await patch(t.id, { status: 'running' });
    expect(back.statusCode).toBe(409);
    expect(back.json()).toMatchObject({ code: 'invalid_state', field: 'status' });

    const got = await app.inject({ url: `/agents/tasks/${t.id}` });
    expect(got.json()).toMatchObject({ id: t.id, status: 'succeeded' });
    const list = await app.inject({ url: '/agents/tasks/?run_id=run-1&status=succeeded&task=nightly/lint' });
    expect(list.json<Wire[]>().map((x) => x.id)).toEqual([t.id]);
    expect((await app.inject({ url: '/agents/tasks/?run_id=nope' })).json()).toEqual([]);
  });

  it('a final status without times gets finished_at and a duration', async () => {
    const r = await post({ task: 'quick', status: 'failed' });
    expect(r.json()).toMatchObject({ status: 'failed', duration_ms: 0 });
    expect(r.json<Wire>().finished_at).toBe(r.json<Wire>().started_at);
  });

  it('rejects bad input with a 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'task'],
      [{ task: '' }, 'task'],
      [{ task: 'x', status: 'done' }, 'status'],
      [{ task: 'x', started_at: 'yesterday' }, 'started_at'],
      [{ task: 'x', approval_state: 'maybe' }, 'approval_state'],
      [{ task: 'x', duration_ms: -1 }, 'duration_ms'],
      [{ task: 'x', started_at: '2025-01-02T00:00:00Z', finished_at: '2025-01-01T00:00:00Z' }, 'finished_at'],
    ];
    for (const [body, field] of cases) {
      const r = await post(body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json(), JSON.stringify(body)).toMatchObject({ code: 'invalid_input', field });
    }
    const q = await app.inject({ url: '/agents/tasks/paged?limit=0' });
    expect(q.statusCode).toBe(400);
    expect(q.json()).toMatchObject({ field: 'limit' });
    expect((await app.inject({ url: '/agents/tasks/paged?limit=1001' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/agents/tasks/paged?status=nope' })).json()).toMatchObject({
      field: 'status',
    });
    expect((await app.inject({ url: '/agents/tasks/paged?cursor=garbage' })).json()).toMatchObject({
      field: 'cursor',
    });
    expect((await app.inject({ url: '/agents/tasks/paged?since=soon' })).json()).toMatchObject({
      field: 'since',
    });
    expect((await patch(uuidv7(), { status: 'running' })).statusCode).toBe(404);
    const t = (await post({ task: 'v' })).json<Wire>();
    expect((await patch(t.id, { status: 'weird' })).json()).toMatchObject({ field: 'status' });
  });

  it('keyset paging with filters returns each row exactly once (20,000 rows)', async () => {
    const N = 20_000;
    const base = Date.parse('2024-06-01T00:00:00Z');
    const rows: LedgerTask[] = [];
    for (let i = 0; i < N; i++) {
      // many rows share a start time: the id breaks ties
      const startedAt = base + Math.floor(i / 7) * 1000;
      rows.push(row(`bulk/${i % 5}`, TASK_STATUSES[i % TASK_STATUSES.length]!, startedAt, i));
    }
    await bulkInsert(raw, rows);
    const since = base + 1000 * 1000;
    const walk = async (qs: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let prev: Wire | undefined;
      do {
        const url: string = `/agents/tasks/paged?limit=1000&${qs}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const r = await app.inject({ url });
        expect(r.statusCode, r.body).toBe(200);
        const page = r.json<{ items: Wire[]; next_cursor: string | null }>();
        for (const it of page.items) {
          if (prev)
            expect(
              [prev.started_at, prev.id] < [it.started_at, it.id] || prev.started_at <= it.started_at,
            ).toBe(true);
          prev = it;
          seen.push(it.id);
        }
        cursor = page.next_cursor;
      } while (cursor);
      return seen;
    };
    const expectIds = (pred: (t: LedgerTask) => boolean) =>
      rows
        .filter(pred)
        .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1))
        .map((t) => t.id);

    const all = await walk('task=bulk/1');
    expect(all).toEqual(expectIds((t) => t.task === 'bulk/1'));
    const failed = await walk(`status=failed&task=bulk/2&since=${new Date(since).toISOString()}`);
    expect(failed).toEqual(
      expectIds((t) => t.status === 'failed' && t.task === 'bulk/2' && t.startedAt >= since),
    );
    expect(new Set(failed).size).toBe(failed.length);
    const two = await walk('status=failed,skipped&task=bulk/3');
    expect(two).toEqual(
      expectIds((t) => (t.status === 'failed' || t.status === 'skipped') && t.task === 'bulk/3'),
    );
  });

  it('exports CSV: header, RFC 4180 quoting that round-trips, at most 10,000 rows, streamed', async () => {
    const nasty = 'he said "hi", then\nleft,\r\nfor good ""';
    const made = await post({ task: 'csv/"quoted", task', log_excerpt: nasty, inputs: { s: 'a,b "c"\nd' } });
    expect(made.statusCode).toBe(201);
    const one = await app.inject({
      url: '/agents/tasks/paged.csv?task=' + encodeURIComponent('csv/"quoted", task'),
    });
    expect(one.statusCode).toBe(200);
    expect(one.headers['content-type']).toMatch(/^text\/csv/);
    const recs = parseCsv(one.body);
    const header = recs[0]!;
    expect(header.slice(0, 5)).toEqual(['id', 'task', 'run_id', 'step_id', 'status']);
    expect(recs).toHaveLength(2);
    const rec = Object.fromEntries(header.map((h, i) => [h, recs[1]![i]]));
    expect(rec.task).toBe('csv/"quoted", task');
    expect(rec.log_excerpt).toBe(nasty);
    expect(JSON.parse(rec.inputs!)).toEqual({ s: 'a,b "c"\nd' });

    const capped = await app.inject({ url: '/agents/tasks/paged.csv?limit=50000' });
    const all = parseCsv(capped.body);
    expect(all).toHaveLength(10_001);
    expect(all.every((r) => r.length === header.length)).toBe(true);
    expect(new Set(all.slice(1).map((r) => r[0])).size).toBe(10_000);
    const filtered = parseCsv(
      (await app.inject({ url: '/agents/tasks/paged.csv?status=running&task=bulk/2' })).body,
    );
    expect(filtered.slice(1).every((r) => r[4] === 'running' && r[1] === 'bulk/2')).toBe(true);
    expect(filtered.length).toBeGreaterThan(1);
  });
});

export function row(task: string, status: LedgerTask['status'], startedAt: number, i: number): LedgerTask {
  const final = status === 'succeeded' || status === 'failed' || status === 'skipped';
  return {
    id: uuidv7(startedAt),
    task,
    runId: `run-${i % 100}`,
    stepId: null,
    status,
    startedAt,
    finishedAt: final ? startedAt + 500 : null,
    durationMs: final ? 500 : null,
    inputs: { i },
    outputsUri: null,
    logExcerpt: null,
    approvalState: null,
    approver: null,
    webhookNotifiedAt: null,
    webhookError: null,
    createdAt: startedAt,
    updatedAt: startedAt,
    workspaceId: 'default',
  };
}
