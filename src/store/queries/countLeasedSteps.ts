import type { Db } from './db.ts';

/** Steps holding a live lease: what `max_concurrent` limits. */
export async function countLeasedSteps(db: Db, now: number): Promise<number> {
  const r = await db
    .selectFrom('steps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'running')
    .where('lease_expires_at', '>=', now)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
