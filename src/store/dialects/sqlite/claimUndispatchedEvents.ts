import type { StoredEventRecord } from '../../../engine/ports/store.ts';
import type { Db } from '../../queries/db.ts';
import { storedEventFromRow } from '../../queries/eventsSchemaV2.ts';
import { UNDISPATCHED, withEventsV5 } from '../../queries/eventsSchemaV5.ts';

/**
 * The oldest events waiting for the trigger dispatcher. SQLite: the caller holds `BEGIN IMMEDIATE`, so no other process dispatches meanwhile.
 */
export async function claimUndispatchedEvents(db: Db, limit: number): Promise<StoredEventRecord[]> {
  const rows = await withEventsV5(db)
    .selectFrom('events')
    .selectAll()
    .where(UNDISPATCHED)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(storedEventFromRow);
}
