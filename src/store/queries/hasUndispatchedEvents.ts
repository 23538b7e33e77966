import type { Db } from './db.ts';
import { UNDISPATCHED, withEventsV5 } from './eventsSchemaV5.ts';

/** Whether an event waits for the trigger dispatcher (one probe of the partial index). */
export async function hasUndispatchedEvents(db: Db): Promise<boolean> {
  const row = await withEventsV5(db)
    .selectFrom('events')
    .select('id')
    .where(UNDISPATCHED)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
