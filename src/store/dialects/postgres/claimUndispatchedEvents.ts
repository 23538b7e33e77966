import type { StoredEventRecord } from '../../../engine/ports/store.ts';
import type { Db } from '../../queries/db.ts';
import { storedEventFromRow } from '../../queries/eventsSchemaV2.ts';
import { UNDISPATCHED, withEventsV5 } from '../../queries/eventsSchemaV5.ts';

/**
 * The oldest events waiting for the trigger dispatcher. PostgreSQL: `FOR UPDATE SKIP LOCKED`, so
 * replicas dispatching at the same time take disjoint events, each held until its transaction ends.
 */
export async function claimUndispatchedEvents(db: Db, limit: number): Promise<StoredEventRecord[]> {
  const rows = await withEventsV5(db)
    .selectFrom('events')
    .selectAll()
    .where(UNDISPATCHED)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map(storedEventFromRow);
}
