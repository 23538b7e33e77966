import type { Db } from './db.ts';

/** Compare-and-set on next_at: of several replicas seeing the same due slot, one moves it. */
export async function advanceSchedule(
  db: Db,
  id: string,
  expectedNextAt: number,
  nextAt: number,
  lastSlot: number,
): Promise<boolean> {
  const r = await db
    .updateTable('schedules')
    .set({ next_at: nextAt, last_slot: lastSlot })
    .where('id', '=', id)
    .where('next_at', '=', expectedNextAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
