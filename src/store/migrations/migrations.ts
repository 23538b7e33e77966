import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { BatonError } from '../../domain/errors.ts';
import type { DialectName } from './columnTypes.ts';
import * as m001 from './m001_initial.ts';
import * as m002 from './m002_event_processing.ts';
import * as m003 from './m003_task_ledger.ts';
import * as m004 from './m004_accounts.ts';
import * as m005 from './m005_event_triggers.ts';
import * as m006 from './m006_run_repository.ts';
import * as m007 from './m007_agent_roles.ts';
import * as m008 from './m008_agent_events.ts';
import * as m009 from './m009_agent_attempts.ts';
import * as m010 from './m010_webhook_deliveries.ts';
import * as m011 from './m011_issue_tree.ts';
import * as m012 from './m012_local_forge.ts';
import * as m013 from './m013_webhook_followups.ts';
import * as m014 from './m014_issue_github_repository.ts';

type DialectMigration = { up(db: Kysely<unknown>, dialect: DialectName): Promise<void> };

/** Ordered, versioned migrations. Append only: never edit one that has shipped. */
const MIGRATIONS: Record<string, DialectMigration> = {
  '001_initial': m001,
  '002_event_processing': m002,
  '003_task_ledger': m003,
  '004_accounts': m004,
  '005_event_triggers': m005,
  '006_run_repository': m006,
  '007_agent_roles': m007,
  '008_agent_events': m008,
  '009_agent_attempts': m009,
  '010_webhook_deliveries': m010,
  '011_issue_tree': m011,
  '012_local_forge': m012,
  '013_webhook_followups': m013,
  '014_issue_github_repository': m014,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: DialectName) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(MIGRATIONS)) {
      out[name] = { up: (db) => m.up(db, this.dialect) };
    }
    return out;
  }
}

export const LATEST_MIGRATION = Object.keys(MIGRATIONS).at(-1)!;

/** Runs pending migrations (each in a transaction, serialised by Kysely's migration lock). */
export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: DialectName,
  schema?: string,
): Promise<string[]> {
  // the common case, a database already up to date, reads one row instead of the whole catalog
  if (await isUpToDate(db, schema)) return [];
  // with a schema, Kysely must look for its own tables there (not in any schema of the database)
  const migrator = new Migrator({
    db,
    provider: new StaticProvider(dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new BatonError(
      'database_unavailable',
      `database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {
        cause: error,
        hint: 'check DATABASE_URL / BATON_DATA_DIR and that the database user may create tables',
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * True when every known migration has been applied (for /readyz): one read of the migration table.
 * (Kysely's `getMigrations` introspects every table of the database first — slow with many schemas,
 * and it can fail while another schema is being dropped, which made a healthy database look down.)
 */
export function migrationsDone(db: Kysely<unknown>, schema?: string): Promise<boolean> {
  return isUpToDate(db, schema);
}

/** True when the newest migration applied is the newest one known (false when unsure). */
async function isUpToDate(db: Kysely<unknown>, schema?: string): Promise<boolean> {
  try {
    const table = schema ? sql.id(schema, 'kysely_migration') : sql.id('kysely_migration');
    const r = await sql<{ name: string }>`select name from ${table} order by name desc limit 1`.execute(db);
    return r.rows[0]?.name === LATEST_MIGRATION;
  } catch {
    return false;
  }
}
