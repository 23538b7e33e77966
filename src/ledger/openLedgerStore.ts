import { join } from 'node:path';
import { openPostgres } from '../store/dialects/postgres/openPostgres.ts';
import { openSqlite } from '../store/dialects/sqlite/openSqlite.ts';
import type { LedgerDatabase, LedgerDb } from '../store/queries/ledger/ledgerSchema.ts';
import type { Kysely } from 'kysely';
import { retryBusy } from '../store/dialects/sqlite/retryBusy.ts';
import { bindLedgerTx, type LedgerStore, type LedgerTx } from './ledgerStore.ts';

export interface LedgerStoreOptions {
  /** as `openStore`: `postgres://…`, `sqlite:<file>`, or undefined for `<dataDir>/baton.db` */
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL schema (tests) */
  schema?: string;
  poolSize?: number;
}

/**
 * Opens the ledger's own connection to Baton's database (already migrated by `openStore`).
 *
 * SQLite: a second connection to the same file, with `busy_timeout = 0` and an asynchronous retry
 * on SQLITE_BUSY — a blocking busy wait would stall the event loop while the engine's connection,
 * in the same process, holds the write lock across an await.
 */
export function openLedgerStore(opts: LedgerStoreOptions): LedgerStore {
  const url = opts.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const { db } = openPostgres({ url, schema: opts.schema, poolSize: opts.poolSize ?? 4 });
    return createLedgerStore(db as unknown as LedgerDb, 'postgres', () => db.destroy());
  }
  const file =
    url && url.startsWith('sqlite:')
      ? url.slice('sqlite:'.length).replace(/^\/\//, '')
      : join(opts.dataDir, 'baton.db');
  const { db, raw } = openSqlite(file);
  raw.pragma('busy_timeout = 0');
  return createLedgerStore(db as unknown as LedgerDb, 'sqlite', () => db.destroy());
}

export function createLedgerStore(
  db: Kysely<LedgerDatabase>,
  dialect: 'sqlite' | 'postgres',
  onClose: () => Promise<void>,
): LedgerStore {
  const ops = bindLedgerTx(db, false, dialect);
  const retry = dialect === 'sqlite' ? retryBusy : <T>(fn: () => Promise<T>) => fn();
  const wrapped = Object.fromEntries(
    Object.entries(ops).map(([k, fn]) => [
      k,
      (...args: unknown[]) => retry(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args)),
    ]),
  ) as unknown as LedgerTx;
  return {
    ...wrapped,
    dialect,
    transaction: (fn) =>
      dialect === 'sqlite'
        ? fn(wrapped)
        : db.transaction().execute((trx) => fn(bindLedgerTx(trx, true, dialect))),
    close: onClose,
  };
}
