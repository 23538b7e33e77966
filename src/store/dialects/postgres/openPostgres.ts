import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database as Schema } from '../../schema.ts';

// bigint (int8) columns hold epoch milliseconds and event ids: well inside Number.MAX_SAFE_INTEGER.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenedPostgres {
  db: Kysely<Schema>;
  pool: pg.Pool;
}

export interface PostgresOptions {
  url: string;
  /** schema to use (created if missing); tests give each test its own */
  schema?: string;
  poolSize?: number;
}

export function openPostgres(opts: PostgresOptions): OpenedPostgres {
  const options = ['-c synchronous_commit=on'];
  if (opts.schema) {
    options.push(`-c search_path=${opts.schema}`);
    // parallel workers restore search_path on their own and were seen failing with "schema … does
    // not exist" for a schema created moments before; Baton's queries are small index reads anyway
    options.push('-c max_parallel_workers_per_gather=0');
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    options: options.join(' '),
    application_name: 'baton',
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

export async function ensureSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
