import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/**
 * Event-triggered workflows: `events.dispatched_at` is set once Baton's trigger dispatcher has
 * matched an event against every workflow's event triggers (external events and the end of a run:
 * `run.succeeded`, `run.failed`, `run.cancelled`); `runs.trigger_depth` counts the event hops that
 * led to a run (0 for manual, scheduled and API runs) and caps trigger chains. Events already stored
 * count as dispatched: a trigger registered after the upgrade does not replay history.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('events').addColumn('dispatched_at', t.millis).execute();
  await sql`update events set dispatched_at = created_at
             where external = 1 or type in ('run.succeeded', 'run.failed', 'run.cancelled')`.execute(db);
  // the dispatcher's queue; its predicate is repeated word for word by the claim (SQLite matches it textually)
  await db.schema
    .createIndex('events_undispatched')
    .on('events')
    .columns(['id'])
    .where(
      sql<boolean>`dispatched_at is null and (external = 1 or type in ('run.succeeded', 'run.failed', 'run.cancelled'))`,
    )
    .execute();
  await db.schema
    .alterTable('runs')
    .addColumn('trigger_depth', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
