import type { Millis } from '../../engine/ports/store.ts';
import type { Db } from './db.ts';
import { withEventsV2 } from './eventsSchemaV2.ts';

/** Compare-and-set: an external event not yet processed becomes processed at `now`. */
export async function markEventProcessed(db: Db, id: number, now: Millis): Promise<boolean> {
  const r = await withEventsV2(db)
    .updateTable('events')
    .set({ processed_at: now })
    .where('id', '=', id)
    .where('external', '=', 1)
    .where('processed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
