import type { Millis } from '../../engine/ports/store.ts';
import type { Db } from './db.ts';
import { withEventsV5 } from './eventsSchemaV5.ts';

/**
 * Compare-and-set: the events of `ids` not yet dispatched become dispatched at `now` (the count
 * tells the caller whether someone else got there first); the external events of `consumed` (a
 * trigger fired for them) are also marked processed.
 */
export async function markEventsDispatched(
  db: Db,
  ids: number[],
  consumed: number[],
  now: Millis,
): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await withEventsV5(db)
    .updateTable('events')
    .set({ dispatched_at: now })
    .where('id', 'in', ids)
    .where('dispatched_at', 'is', null)
    .executeTakeFirst();
  if (consumed.length > 0) {
    await withEventsV5(db)
      .updateTable('events')
      .set({ processed_at: now })
      .where('id', 'in', consumed)
      .where('external', '=', 1)
      .where('processed_at', 'is', null)
      .execute();
  }
  return Number(r.numUpdatedRows);
}
