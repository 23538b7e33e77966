import type { Db } from './db.ts';

/** Events of one type in the outbox (index `events_type`). */
export async function countEventsByType(db: Db, type: string): Promise<number> {
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', '=', type)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
