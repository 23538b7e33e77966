import type { RunStatus } from '../../domain/runStatus.ts';
import type { KeyRunCount } from '../../engine/ports/store.ts';
import type { Db } from './db.ts';

/** Unfinished runs that have a concurrency key, per key and status (`GET /queue`). */
export async function countRunsByKey(db: Db): Promise<KeyRunCount[]> {
  const rows = await db
    .selectFrom('runs')
    .select((eb) => ['concurrency_key', 'status', eb.fn.countAll<number>().as('n')])
    .where('concurrency_key', 'is not', null)
    .where('status', 'in', ['queued', 'running', 'awaiting_approval', 'paused'])
    .groupBy(['concurrency_key', 'status'])
    .orderBy('concurrency_key')
    .execute();
  return rows.map((r) => ({
    key: r.concurrency_key ?? '',
    status: r.status as RunStatus,
    count: Number(r.n),
  }));
}
