/**
 * Throw-away PostgreSQL databases for the benchmarks: every database this module creates or drops is
 * named `baton_bench_<name>`, so a benchmark can never touch another database (such as `test`).
 */
import pg from 'pg';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = 'baton_bench_';

/** The server URL the benchmarks use: `BATON_BENCH_PG_URL`, else the local trust-auth default. */
export function defaultPgUrl(): string {
  return process.env.BATON_BENCH_PG_URL ?? DEFAULT_PG_URL;
}

/** `baseUrl` with its database replaced by `database`. */
export function withDatabase(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** The full database name used for `name` (`baton_bench_<name>`, lower-cased, [a-z0-9_] only). */
export function benchDatabaseName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const full = cleaned.startsWith(PREFIX) ? cleaned : `${PREFIX}${cleaned}`;
  if (full.length > 63) throw new Error(`database name too long: ${full}`);
  return full;
}

export interface TempPgDatabase {
  /** Full database name (`baton_bench_<name>`). */
  name: string;
  /** Connection string to that database. */
  url: string;
  /** Drops the database (terminating leftover connections). Safe to call twice. */
  drop: () => Promise<void>;
}

async function withAdminClient<T>(baseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: baseUrl, application_name: 'baton-bench-admin' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh database `baton_bench_<name>` on the server of `baseUrl`, dropping a leftover one
 * of the same name first (from an interrupted run).
 */
export async function createTempPgDatabase(
  name: string,
  baseUrl: string = defaultPgUrl(),
): Promise<TempPgDatabase> {
  const dbName = benchDatabaseName(name);
  await withAdminClient(baseUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${dbName}"`);
  });
  let dropped = false;
  return {
    name: dbName,
    url: withDatabase(baseUrl, dbName),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await dropTempPgDatabase(dbName, baseUrl);
    },
  };
}

/**
 * Drops `baton_bench_<name>` if it exists. Waits up to `graceMs` for its sessions to end first: some
 * libraries close their pools without awaiting it (graphile-worker's releaser calls `pool.end()` and
 * returns), and terminating such a connection makes its pool emit an 'error' that nobody handles any
 * more, which crashes the process. Sessions still there after the grace period are terminated.
 */
export async function dropTempPgDatabase(
  name: string,
  baseUrl: string = defaultPgUrl(),
  graceMs = 3000,
): Promise<void> {
  const dbName = benchDatabaseName(name);
  await withAdminClient(baseUrl, async (client) => {
    const deadline = Date.now() + graceMs;
    for (;;) {
      const res = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [dbName],
      );
      if ((res.rows[0]?.n ?? 0) === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  });
}

/**
 * Creates a temporary database, runs `fn` with it and always drops it afterwards (even when `fn`
 * throws; a failure to drop is reported only if `fn` succeeded).
 */
export async function withTempPgDatabase<T>(
  name: string,
  baseUrl: string,
  fn: (db: TempPgDatabase) => Promise<T>,
): Promise<T> {
  const db = await createTempPgDatabase(name, baseUrl);
  let result: T;
  try {
    result = await fn(db);
  } catch (error) {
    await db.drop().catch(() => undefined);
    throw error;
  }
  await db.drop();
  return result;
}

export interface PgServerInfo {
  version: string;
  synchronousCommit: string;
  fsync: string;
  walSyncMethod: string;
}

/** Server version and the durability settings that matter for commit rates. */
export async function pgServerInfo(baseUrl: string = defaultPgUrl()): Promise<PgServerInfo> {
  return withAdminClient(baseUrl, async (client) => {
    const show = async (setting: string): Promise<string> => {
      const res = await client.query<Record<string, string>>(`SHOW ${setting}`);
      return res.rows[0]?.[setting] ?? '?';
    };
    return {
      version: await show('server_version'),
      synchronousCommit: await show('synchronous_commit'),
      fsync: await show('fsync'),
      walSyncMethod: await show('wal_sync_method'),
    };
  });
}

/** Runs one query on a short-lived client and returns the first column of the first row. */
export async function queryScalar<T>(url: string, text: string, values: unknown[] = []): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<Record<string, T>>(text, values);
    const row = res.rows[0];
    if (!row) throw new Error(`no row from: ${text}`);
    return Object.values(row)[0] as T;
  } finally {
    await client.end();
  }
}
