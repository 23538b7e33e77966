import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { BatonError } from '../domain/errors.ts';
import * as pgDialect from './dialects/postgres/index.ts';
import * as sqliteDialect from './dialects/sqlite/index.ts';
import { createKyselyStore, type KyselyStore } from './kyselyStore.ts';
import { migrateToLatest } from './migrations/migrations.ts';

export interface StoreOptions {
  /** `postgres://…` for PostgreSQL; `sqlite:<file>` or undefined for the embedded SQLite file */
  databaseUrl?: string;
  /** where the SQLite file lives when no URL is given */
  dataDir: string;
  /** PostgreSQL schema (tests use one per test) */
  schema?: string;
  poolSize?: number;
}

/** Opens the configured database and runs pending migrations (DESIGN §5: at start-up). */
export async function openStore(opts: StoreOptions): Promise<KyselyStore> {
  const url = opts.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    if (opts.schema) await pgDialect.ensureSchema(url, opts.schema);
    const { db, pool } = pgDialect.openPostgres({ url, schema: opts.schema, poolSize: opts.poolSize });
    try {
      await migrateToLatest(db as Kysely<unknown>, 'postgres', opts.schema);
    } catch (e) {
      await db.destroy();
      throw wrapConnectError(e, url);
    }
    void pool;
    return createKyselyStore(db, { name: 'postgres', ...pgDialect }, async () => undefined, opts.schema);
  }
  let file: string;
  if (url && url.startsWith('sqlite:')) {
    file = url.slice('sqlite:'.length).replace(/^\/\//, '');
  } else if (url) {
    throw new BatonError('config_invalid', `DATABASE_URL "${redact(url)}" is not supported`, {
      field: 'DATABASE_URL',
      hint: 'use postgres://user@host:5432/db, sqlite:/path/to/file.db, or leave it unset for the embedded SQLite file',
    });
  } else {
    mkdirSync(opts.dataDir, { recursive: true });
    file = join(opts.dataDir, 'baton.db');
  }
  const { db } = sqliteDialect.openSqlite(file);
  await migrateToLatest(db as Kysely<unknown>, 'sqlite');
  return createKyselyStore(db, { name: 'sqlite', ...sqliteDialect }, async () => undefined);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

function wrapConnectError(e: unknown, url: string): unknown {
  if (e instanceof BatonError) return e;
  return new BatonError(
    'database_unavailable',
    `cannot open PostgreSQL at ${redact(url)}: ${(e as Error).message}`,
    {
      cause: e,
      retryable: true,
      hint: 'is PostgreSQL running and the URL right? (pg_ctlcluster … main start)',
    },
  );
}
