import type { Db } from './db.ts';

/** Runs that hold a slot of their concurrency key: admitted and not yet finished. */
export async function countActiveRunsByKey(db: Db, key: string): Promise<number> {
  const r = await db
    .selectFrom('runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('concurrency_key', '=', key)
    .where('status', 'in', ['running', 'awaiting_approval', 'paused'])
    .where('started_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
