/**
 * A Baton server for the HTTP API benchmarks, started the way `baton serve` starts it: `serve()`
 * itself (src/main/serve.ts), with its store, engine and runner, the API core with the live streams
 * and the task ledger plugins, the ledger projector, on 127.0.0.1 (an ephemeral port).
 *
 * The database is filled before the server starts: runs through the engine (an in-process no-op
 * executor, so every run has its steps, attempts and events), and the task ledger in bulk (multi-row
 * inserts in transactions on SQLite, `INSERT … SELECT generate_series` in chunks on PostgreSQL; the
 * same rows as the 1,000,000-row test in test/ledger).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../../src/config/loadConfig.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { Engine } from '../../src/engine/engine.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import type { LogSink } from '../../src/engine/ports/stepExecutor.ts';
import { findMaxEventId } from '../../src/api/streams/eventBroadcaster.ts';
import { encodeTaskCursor } from '../../src/ledger/cursor.ts';
import { TASK_STATUSES } from '../../src/ledger/ledgerTypes.ts';
import { serve } from '../../src/main/serve.ts';
import { openSqlite } from '../../src/store/dialects/sqlite/openSqlite.ts';
import { openStore } from '../../src/store/openStore.ts';
import { NoopExecutor, WORKFLOWS } from '../baton/batonFixture.ts';
import type { BenchContext, BenchTarget } from '../lib/context.ts';
import { createTempPgDatabase, type TempPgDatabase } from '../lib/pg.ts';
import { deferred, nowMs, throwIfAborted, yieldNow } from '../lib/stats.ts';

/** The admin token the server is configured with; every benchmark request carries it. */
export const BENCH_ADMIN_TOKEN = 'baton_pat_benchadmintoken000000000000';
export const AUTH_HEADERS: Record<string, string> = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };

export interface ApiDatabase {
  target: BenchTarget;
  dataDir: string;
  /** undefined: SQLite at `<dataDir>/baton.db` */
  databaseUrl: string | undefined;
  close(): Promise<void>;
}

/** A fresh database: a temp directory (SQLite) or a `baton_bench_<name>` database (PostgreSQL). */
export async function createApiDatabase(
  ctx: BenchContext,
  target: BenchTarget,
  name: string,
): Promise<ApiDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-bench-api-'));
  let pgDb: TempPgDatabase | null = null;
  try {
    if (target === 'postgres') pgDb = await createTempPgDatabase(name, ctx.pgUrl);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    target,
    dataDir,
    databaseUrl: pgDb?.url,
    async close() {
      await pgDb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const NO_SINK: LogSink = { write() {}, flush: async () => undefined };

/**
 * Creates `n` three-step runs through the engine and runs them to completion (no-op executor, ten
 * slots). Returns their ids and the last event id (the ledger projector of the server catches up to it).
 */
export async function seedRuns(
  ctx: BenchContext,
  db: ApiDatabase,
  n: number,
): Promise<{ ids: string[]; lastEventId: number }> {
  const store = await openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir, poolSize: 10 });
  const engines: Engine[] = [];
  try {
    const client = new Engine({ store });
    engines.push(client);
    for (const source of WORKFLOWS) {
      const r = parseWorkflow(source);
      if (!r.ok) throw new Error('bench workflow invalid');
      await client.registerWorkflow(r.workflow, { source, origin: 'api', baseDir: db.dataDir });
    }
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      throwIfAborted(ctx.signal);
      ids.push((await client.createRun({ workflow: 'three' })).run.id);
      if (i % 50 === 0) ctx.progress.update(`seeding runs: created ${i}/${n}`);
    }
    const runner = new Engine({
      store,
      config: { pollMs: 250 },
      runner: {
        owner: 'bench-seed',
        concurrency: 10,
        executor: new NoopExecutor(),
        makeSink: () => NO_SINK,
        baseEnv: {},
        defaultCwd: db.dataDir,
      },
    });
    engines.push(runner);
    await runner.start();
    for (;;) {
      throwIfAborted(ctx.signal);
      const left = (await store.listRuns({ status: ['queued', 'running'], limit: 1000 })).length;
      if (left === 0) break;
      ctx.progress.update(`seeding runs: ${n - left}/${n} finished`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { ids, lastEventId: await findMaxEventId(store) };
  } finally {
    for (const e of engines) await e.stop(1000);
    await store.close();
  }
}

// Ledger row i: task t<i % 8>, status <i % 6>, run run-<i % 1000>, started_at BASE + floor(i / 7) s
// (ties broken by id): the rows of test/ledger/ledgerMillion.test.ts.
export const LEDGER_BASE = Date.parse('2024-01-01T00:00:00Z');
export const LEDGER_TASKS = 8;
const ledgerIdOf = (i: number): string => `00000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;
const ledgerStartOf = (i: number): number => LEDGER_BASE + Math.floor(i / 7) * 1000;

/** The `next_cursor` a client holds after reading row `i` (keyset (started_at, id)). */
export function ledgerCursorAfter(i: number): string {
  return encodeTaskCursor({ startedAt: ledgerStartOf(i), id: ledgerIdOf(i) });
}

/** Inserts `n` ledger rows (the database must be migrated: `seedRuns` or the server does that). */
export async function seedLedger(ctx: BenchContext, db: ApiDatabase, n: number): Promise<{ ms: number }> {
  const t0 = nowMs();
  const show = (done: number): void => {
    const s = (nowMs() - t0) / 1000;
    ctx.progress.update(
      `seeding ledger: ${done.toLocaleString('en-US')}/${n.toLocaleString('en-US')} rows (${Math.round(done / s).toLocaleString('en-US')}/s)`,
    );
  };
  if (db.target === 'sqlite') {
    const { raw } = openSqlite(join(db.dataDir, 'baton.db'));
    try {
      const cols = '(id, task, run_id, status, started_at, inputs, created_at, updated_at)';
      const B = 500; // rows per INSERT (4,000 parameters)
      const CHUNK = 50_000; // rows per transaction
      const statements = new Map<number, Database.Statement<unknown[]>>();
      const insert = (rows: number): Database.Statement<unknown[]> => {
        let stmt = statements.get(rows);
        if (!stmt) {
          stmt = raw.prepare<unknown[]>(
            `insert into agents_tasks ${cols} values ${Array.from({ length: rows }, () => '(?,?,?,?,?,?,?,?)').join(',')}`,
          );
          statements.set(rows, stmt);
        }
        return stmt;
      };
      for (let c = 0; c < n; c += CHUNK) {
        throwIfAborted(ctx.signal);
        const end = Math.min(n, c + CHUNK);
        raw.transaction(() => {
          for (let s = c; s < end; s += B) {
            const e = Math.min(end, s + B);
            const args: unknown[] = [];
            for (let i = s; i < e; i++) {
              const t = ledgerStartOf(i);
              args.push(
                ledgerIdOf(i),
                `t${i % LEDGER_TASKS}`,
                `run-${i % 1000}`,
                TASK_STATUSES[i % 6],
                t,
                `{"i":${i}}`,
                t,
                t,
              );
            }
            insert(e - s).run(...args);
          }
        })();
        show(end);
        await yieldNow();
      }
    } finally {
      raw.close();
    }
  } else {
    const client = new pg.Client({ connectionString: db.databaseUrl, application_name: 'baton-bench-seed' });
    await client.connect();
    try {
      const statuses = `array[${TASK_STATUSES.map((s) => `'${s}'`).join(',')}]`;
      const CHUNK = 100_000;
      for (let c = 0; c < n; c += CHUNK) {
        throwIfAborted(ctx.signal);
        const end = Math.min(n, c + CHUNK);
        await client.query(
          `insert into agents_tasks (id, task, run_id, status, started_at, inputs, created_at, updated_at)
           select '00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'), 't' || (i % ${LEDGER_TASKS}), 'run-' || (i % 1000),
                  (${statuses})[(i % 6) + 1], $1::bigint + (i / 7) * 1000, jsonb_build_object('i', i),
                  $1::bigint + (i / 7) * 1000, $1::bigint + (i / 7) * 1000
           from generate_series($2::int, $3::int) as i`,
          [LEDGER_BASE, c, end - 1],
        );
        show(end);
      }
      // autovacuum would have done this shortly after such a load: statistics and the visibility map
      ctx.progress.update('seeding ledger: vacuum analyze');
      await client.query('vacuum analyze agents_tasks');
    } finally {
      await client.end();
    }
  }
  return { ms: nowMs() - t0 };
}

export interface RunningServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Aborts serve()'s signal and waits for its graceful stop. */
  stop(): Promise<void>;
}

/**
 * `serve()` on the database, listening on 127.0.0.1:<ephemeral>. Configured through `loadConfig`
 * like the CLI (so new settings get their defaults), with the bench admin token; request logging off
 * (`BATON_LOG_LEVEL=warn`: pino would write a line per request to the benchmark's stderr).
 */
export async function startServer(db: ApiDatabase): Promise<RunningServer> {
  const env: NodeJS.ProcessEnv = {
    BATON_DATA_DIR: db.dataDir,
    BATON_HOST: '127.0.0.1',
    BATON_PORT: '0',
    BATON_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    BATON_LOG_LEVEL: 'warn',
  };
  if (db.databaseUrl) env.DATABASE_URL = db.databaseUrl;
  const config = loadConfig(env, db.dataDir);
  const stopping = new AbortController();
  const listening = deferred<{ url: string }>();
  const done = serve(config, {
    examples: false,
    logger: silentLogger,
    signal: stopping.signal,
    cwd: db.dataDir,
    drainMs: 1000,
    print: () => undefined,
    warn: () => undefined,
    onListening: (address) => listening.resolve(address),
  });
  const failed = done.then(() => {
    throw new Error('serve() returned before listening');
  });
  let address: { url: string };
  try {
    address = await Promise.race([listening.promise, failed]);
  } catch (error) {
    stopping.abort();
    await done.catch(() => undefined);
    throw error;
  }
  failed.catch(() => undefined); // settles (harmlessly) when the server stops
  return {
    url: address.url.replace('//localhost', '//127.0.0.1'),
    async stop() {
      stopping.abort();
      await done;
    },
  };
}
