import { join } from 'node:path';
import type { Db } from '../../src/store/queries/db.ts';
import { openPostgres } from '../../src/store/dialects/postgres/openPostgres.ts';
import { openSqlite } from '../../src/store/dialects/sqlite/openSqlite.ts';
import { createLocalForgeStore } from '../../src/forges/local/createLocalForgeStore.ts';
import { createLocalForge, type LocalForgeOptions } from '../../src/forges/local/localForge.ts';
import type { LocalForgeStore } from '../../src/forges/local/localForgeStore.ts';
import type { LocalForge, LocalForgeEventType } from '../../src/forges/local/localForgeTypes.ts';
import { createTestDb, type TestDialect, type TestDb } from '../helpers/dialects.ts';

/** A migrated test database (SQLite file or PostgreSQL schema) and a Kysely handle on it. */
export interface ForgeDb {
  db: Db;
  store: LocalForgeStore;
  close(): Promise<void>;
}

export async function openForgeDb(dialect: TestDialect): Promise<ForgeDb> {
  const t: TestDb = await createTestDb(dialect);
  await t.open(); // runs the migrations
  const o = t.storeOptions;
  const db = o.databaseUrl
    ? openPostgres({ url: o.databaseUrl, schema: o.schema, poolSize: 4 }).db
    : openSqlite(join(o.dataDir, 'baton.db')).db;
  return {
    db,
    store: createLocalForgeStore(db),
    async close() {
      await db.destroy();
      await t.cleanup();
    },
  };
}

export interface EmittedEvent {
  type: LocalForgeEventType;
  payload: Record<string, unknown>;
}

/** A local forge over `store` recording the events it emits. */
export function recordingForge(
  store: LocalForgeStore,
  extra: Partial<LocalForgeOptions> = {},
): { forge: LocalForge; events: EmittedEvent[]; types: () => string[] } {
  const events: EmittedEvent[] = [];
  const forge = createLocalForge({
    store,
    events: { emit: async (type, payload) => void events.push({ type, payload }) },
    ...extra,
  });
  return { forge, events, types: () => events.map((e) => e.type) };
}

export const signal = (): AbortSignal => AbortSignal.timeout(30_000);
