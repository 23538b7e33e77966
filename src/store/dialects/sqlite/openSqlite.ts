import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import type { Database as Schema } from '../../schema.ts';

/** `BEGIN IMMEDIATE` so a transaction takes the write lock up front (no SQLITE_BUSY on upgrade). */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(cfg);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.cfg);
  }
}

/** better-sqlite3 behind Kysely's minimal interface, with a bounded prepared-statement cache. */
function cachedStatements(db: Database.Database, max = 256) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = db.prepare(sqlText);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

export interface OpenedSqlite {
  db: Kysely<Schema>;
  raw: Database.Database;
}

/**
 * Opens (creating if needed) the SQLite file with the durability settings of DESIGN §3.9:
 * WAL, synchronous=FULL, foreign keys on, and a busy timeout so other processes (the CLI) wait.
 */
export function openSqlite(file: string): OpenedSqlite {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  raw.defaultSafeIntegers(false);
  const db = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect({ database: cachedStatements(raw) }) });
  return { db, raw };
}
