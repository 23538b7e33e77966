import type { Db } from './db.ts';

/** Queue depth: queued runnable steps (served by the partial index `steps_ready`). */
export async function countQueuedSteps(db: Db): Promise<number> {
  const r = await db
    .selectFrom('steps')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'queued')
    .where('runnable', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
