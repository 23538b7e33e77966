import { sql, type Kysely } from 'kysely';
import type { Database, RunsTable } from '../schema.ts';
import type { Db } from './db.ts';
import type { EventsTableV2 } from './eventsSchemaV2.ts';

/** The columns of migration 005 (fold into schema.ts when it is next edited). */
export interface EventsTableV5 extends EventsTableV2 {
  dispatched_at: number | null;
}
export interface RunsTableV5 extends RunsTable {
  trigger_depth: number;
}
export type DbV5 = Kysely<Omit<Database, 'events' | 'runs'> & { events: EventsTableV5; runs: RunsTableV5 }>;

export const withEventsV5 = (db: Db): DbV5 => db as unknown as DbV5;

/**
 * The trigger dispatcher's queue, word for word the predicate of the `events_undispatched` partial
 * index (SQLite uses a partial index only when the query repeats its WHERE terms).
 */
export const UNDISPATCHED = sql<boolean>`dispatched_at is null and (external = 1 or type in ('run.succeeded', 'run.failed', 'run.cancelled'))`;
