import { join } from 'node:path';
import * as pg from '../store/dialects/postgres/index.ts';
import * as sqlite from '../store/dialects/sqlite/index.ts';
import { retryBusy } from '../store/dialects/sqlite/retryBusy.ts';
import type { AccountsDb } from '../store/queries/accounts/accountsSchema.ts';
import { bindAccountsStore, type AccountsStore } from './accountsStore.ts';

export interface AccountsStoreOptions {
  /** as `openStore`: `postgres://…`, `sqlite:<file>`, or undefined for `<dataDir>/baton.db` */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL schema (tests) */
  schema?: string | undefined;
}

/** Opens the accounts' own connection to Baton's database (already migrated by `openStore`). */
export function openAccountsStore(opts: AccountsStoreOptions): AccountsStore {
  const url = opts.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const { db } = pg.openPostgres({ url, schema: opts.schema, poolSize: 4 });
    return bindAccountsStore(db as unknown as AccountsDb, {
      retry: (f) => f(),
      transactions: true,
      close: () => db.destroy(),
    });
  }
  const file =
    url && url.startsWith('sqlite:')
      ? url.slice('sqlite:'.length).replace(/^\/\//, '')
      : join(opts.dataDir, 'baton.db');
  const { db, raw } = sqlite.openSqlite(file);
  raw.pragma('busy_timeout = 0');
  return bindAccountsStore(db as unknown as AccountsDb, {
    retry: retryBusy,
    transactions: false,
    close: () => db.destroy(),
  });
}
