import type { Kysely, Selectable } from 'kysely';
import type { StoredEventRecord } from '../../engine/ports/store.ts';
import type { Database, EventsTable } from '../schema.ts';
import { eventFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

/** The events table with the columns of migration 002 (fold into schema.ts when it is next edited). */
export interface EventsTableV2 extends EventsTable {
  processed_at: number | null;
  external: number;
}
export type DbV2 = Kysely<Omit<Database, 'events'> & { events: EventsTableV2 }>;

export const withEventsV2 = (db: Db): DbV2 => db as unknown as DbV2;

export function storedEventFromRow(r: Selectable<EventsTableV2>): StoredEventRecord {
  return {
    ...eventFromRow(r),
    external: Number(r.external) === 1,
    processedAt: r.processed_at === null ? null : Number(r.processed_at),
  };
}
