import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Store } from '../../src/engine/ports/store.ts';
import { openStore } from '../../src/store/openStore.ts';

/** Every store and engine test loops over these (Kysely's test-setup DIALECTS). */
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

export const TEST_PG_URL = process.env.BATON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  dialect: TestDialect;
  /** options that open the same database again (another process, a restart) */
  storeOptions: { databaseUrl?: string; dataDir: string; schema?: string };
  dir: string;
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

/** A fresh, isolated database: its own SQLite file, or its own PostgreSQL schema. */
export async function createTestDb(dialect: TestDialect): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-test-'));
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const storeOptions =
    dialect === 'postgres' ? { databaseUrl: TEST_PG_URL, dataDir: dir, schema } : { dataDir: dir };
  const opened: Store[] = [];
  return {
    dialect,
    storeOptions,
    dir,
    async open() {
      // creating and migrating a schema, and dropping one, take turns across test workers: Kysely's
      // migrator reads the catalog of every schema, and one dropped meanwhile fails that read
      const s =
        dialect === 'postgres'
          ? await withSchemaLock(() => openStore({ ...storeOptions, poolSize: 4 }))
          : await openStore({ ...storeOptions, poolSize: 4 });
      opened.push(s);
      return s;
    },
    async cleanup() {
      for (const s of opened) await s.close().catch(() => undefined);
      if (dialect === 'postgres') {
        await withSchemaLock(async () => {
          const c = new pg.Client({ connectionString: TEST_PG_URL });
          await c.connect();
          try {
            await c.query(`drop schema if exists "${schema}" cascade`);
          } finally {
            await c.end();
          }
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SCHEMA_LOCK = 7_310_042;

/** `fn` while holding a PostgreSQL advisory lock shared by every test process. */
export async function withSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: TEST_PG_URL });
  await c.connect();
  try {
    await c.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
    return await fn();
  } finally {
    await c.end(); // ends the session: the lock goes with it
  }
}
