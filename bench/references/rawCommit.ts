/**
 * The stores' raw commit rates: the ceiling any durable orchestrator built on them can reach when
 * every state change is its own committed transaction.
 *
 * - SQLite (better-sqlite3, a file in a fresh temp dir, journal_mode=WAL, synchronous=FULL — the
 *   settings Baton's store uses): single-row INSERT transactions/s (autocommit) and "two-statement"
 *   transactions/s (BEGIN IMMEDIATE; INSERT; UPDATE; COMMIT).
 * - PostgreSQL (pg Pool on its own database, synchronous_commit=on): the same two figures with 1
 *   client and with 10 concurrent clients. Statements are named prepared statements; in the
 *   10-client run every client UPDATEs its own row, so the figure measures commits, not row-lock
 *   contention.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createTempPgDatabase } from '../lib/pg.ts';
import { silentProgress, type Progress } from '../lib/progress.ts';
import { measureRate, measureRateSync, type RateResult } from '../lib/stats.ts';

/** Each figure is the median rate of this many consecutive windows (iterations and time cap split evenly). */
const WINDOWS = 3;

async function medianOfWindows(
  windows: number,
  measure: (window: number) => Promise<RateResult>,
): Promise<RateResult> {
  const results: RateResult[] = [];
  for (let w = 0; w < windows; w++) results.push(await measure(w));
  const sorted = [...results].sort((a, b) => a.rate - b.rate);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { ...median, capped: results.some((r) => r.capped) };
}

const PAYLOAD = JSON.stringify({
  kind: 'step.completed',
  step: 'build',
  attempt: 1,
  output: { ok: true, note: 'x'.repeat(48) },
});

export interface SqliteRawCommitResult {
  /** Autocommit single-row INSERTs per second. */
  singleInsertTps: number;
  /** BEGIN IMMEDIATE; INSERT; UPDATE; COMMIT per second. */
  twoStatementTps: number;
  sqliteVersion: string;
  /** Directory the database file lived in (removed afterwards). */
  dir: string;
  capped: boolean;
}

export async function benchSqliteRawCommit(opts: {
  /** Transactions per figure (split over 3 windows; the figure is the median window's rate). */
  iterations: number;
  /** Cap per figure in ms (default 10 000); the rate is then computed from what was done. */
  maxMs?: number;
  /** Parent directory for the temp dir (default os.tmpdir()). */
  parentDir?: string;
  signal?: AbortSignal;
  progress?: Progress;
}): Promise<SqliteRawCommitResult> {
  const progress = opts.progress ?? silentProgress;
  const maxMs = opts.maxMs ?? 10_000;
  const dir = mkdtempSync(path.join(opts.parentDir ?? os.tmpdir(), 'baton-bench-sqlite-'));
  const db = new Database(path.join(dir, 'bench.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const mode = db.pragma('journal_mode', { simple: true }) as string;
    const sync = db.pragma('synchronous', { simple: true }) as number;
    if (mode !== 'wal' || sync !== 2)
      throw new Error(`SQLite pragmas not applied (journal_mode=${mode}, synchronous=${sync})`);
    db.exec(`
      CREATE TABLE events (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE runs (id INTEGER PRIMARY KEY, status TEXT NOT NULL, seq INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      INSERT INTO runs (id, status, seq, updated_at) VALUES (1, 'running', 0, 0);
    `);
    const insert = db.prepare('INSERT INTO events (run_id, payload, created_at) VALUES (?, ?, ?)');
    const update = db.prepare('UPDATE runs SET seq = seq + 1, status = ?, updated_at = ? WHERE id = ?');
    const begin = db.prepare('BEGIN IMMEDIATE');
    const commit = db.prepare('COMMIT');
    const sqliteVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;

    const single = (): void => {
      insert.run(1, PAYLOAD, Date.now());
    };
    const twoStatement = (i: number): void => {
      begin.run();
      insert.run(1, PAYLOAD, Date.now());
      update.run(i % 2 ? 'running' : 'waiting', Date.now(), 1);
      commit.run();
    };

    // Warm-up: grow the WAL to its steady-state size first. While the WAL file is still growing every
    // commit also syncs the file-size change, which made the first ~1000 commits ~3× slower here;
    // a long-running Baton store reuses a full-size WAL. One transaction writing ~1200 pages does it
    // (the auto-checkpoint at 1000 pages then lets later commits overwrite the WAL from its start).
    db.exec('CREATE TABLE warmup (b BLOB)');
    const grow = db.prepare('INSERT INTO warmup (b) VALUES (zeroblob(4000))');
    db.transaction(() => {
      for (let i = 0; i < 1200; i++) grow.run();
    })();
    db.exec('DROP TABLE warmup');

    const run = async (label: string, op: (i: number) => void): Promise<RateResult> => {
      for (let i = 0; i < 50; i++) op(i);
      return medianOfWindows(WINDOWS, (w) =>
        measureRateSync({
          iterations: Math.ceil(opts.iterations / WINDOWS),
          maxMs: maxMs / WINDOWS,
          op,
          ...(opts.signal ? { signal: opts.signal } : {}),
          onProgress: (done) => progress.update(`${label} (window ${w + 1}/${WINDOWS}) ${done}`),
        }),
      );
    };
    const a = await run('single-row insert', single);
    const b = await run('two-statement tx', twoStatement);
    return {
      singleInsertTps: a.rate,
      twoStatementTps: b.rate,
      sqliteVersion,
      dir,
      capped: a.capped || b.capped,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PgRawCommitResult {
  singleInsertTpsC1: number;
  twoStatementTpsC1: number;
  singleInsertTpsC10: number;
  twoStatementTpsC10: number;
  capped: boolean;
}

export async function benchPgRawCommit(opts: {
  pgUrl: string;
  /** Transactions per figure, across all clients (split over 3 windows; median window's rate). */
  iterations: number;
  /** Cap per figure in ms (default 10 000). */
  maxMs?: number;
  signal?: AbortSignal;
  progress?: Progress;
}): Promise<PgRawCommitResult> {
  const progress = opts.progress ?? silentProgress;
  const maxMs = opts.maxMs ?? 10_000;
  const db = await createTempPgDatabase('raw', opts.pgUrl);
  const pool = new pg.Pool({
    connectionString: db.url,
    max: 10,
    options: '-c synchronous_commit=on',
    application_name: 'baton-bench-raw',
  });
  pool.on('error', () => undefined); // idle-client errors (e.g. the database being dropped)
  try {
    await pool.query(`
      CREATE TABLE events (id BIGSERIAL PRIMARY KEY, run_id INTEGER NOT NULL, payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
      CREATE TABLE runs (id INTEGER PRIMARY KEY, status TEXT NOT NULL, seq INTEGER NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
      INSERT INTO runs (id, status, seq, updated_at) SELECT g, 'running', 0, now() FROM generate_series(0, 9) g;
    `);
    const sc = await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    if (sc.rows[0]?.synchronous_commit !== 'on')
      throw new Error(`synchronous_commit is ${sc.rows[0]?.synchronous_commit}`);

    const insertQ = (lane: number) => ({
      name: 'bench_insert',
      text: 'INSERT INTO events (run_id, payload) VALUES ($1, $2)',
      values: [lane, PAYLOAD],
    });
    const updateQ = (lane: number, i: number) => ({
      name: 'bench_update',
      text: 'UPDATE runs SET seq = seq + 1, status = $1, updated_at = now() WHERE id = $2',
      values: [i % 2 ? 'running' : 'waiting', lane],
    });

    // One dedicated client per lane, so "concurrency N" means N connections committing in parallel.
    const clients = await Promise.all(Array.from({ length: 10 }, () => pool.connect()));
    try {
      const single = async (lane: number): Promise<void> => {
        await clients[lane]!.query(insertQ(lane));
      };
      const twoStatement = async (lane: number, i: number): Promise<void> => {
        const c = clients[lane]!;
        await c.query('BEGIN');
        try {
          await c.query(insertQ(lane));
          await c.query(updateQ(lane, i));
          await c.query('COMMIT');
        } catch (error) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      };
      const run = async (
        label: string,
        concurrency: number,
        op: (lane: number, i: number) => Promise<void>,
      ): Promise<RateResult> => {
        await Promise.all(
          Array.from({ length: concurrency }, async (_, lane) => {
            for (let i = 0; i < 5; i++) await op(lane, i); // warm-up: prepare statements on each client
          }),
        );
        return medianOfWindows(WINDOWS, (w) =>
          measureRate({
            iterations: Math.ceil(opts.iterations / WINDOWS),
            concurrency,
            maxMs: maxMs / WINDOWS,
            op,
            ...(opts.signal ? { signal: opts.signal } : {}),
            onProgress: (done) => progress.update(`${label} (window ${w + 1}/${WINDOWS}) ${done}`),
          }),
        );
      };
      const a = await run('single-row insert, 1 client', 1, single);
      const b = await run('two-statement tx, 1 client', 1, twoStatement);
      const c = await run('single-row insert, 10 clients', 10, single);
      const d = await run('two-statement tx, 10 clients', 10, twoStatement);
      return {
        singleInsertTpsC1: a.rate,
        twoStatementTpsC1: b.rate,
        singleInsertTpsC10: c.rate,
        twoStatementTpsC10: d.rate,
        capped: a.capped || b.capped || c.capped || d.capped,
      };
    } finally {
      for (const c of clients) c.release();
    }
  } finally {
    await pool.end();
    await db.drop();
  }
}
