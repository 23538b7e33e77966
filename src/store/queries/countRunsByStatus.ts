import type { RunStatus } from '../../domain/runStatus.ts';
import type { Db } from './db.ts';

/** Runs per status (the `baton_runs` gauge). */
export async function countRunsByStatus(db: Db): Promise<Array<{ status: RunStatus; count: number }>> {
  const rows = await db
    .selectFrom('runs')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status as RunStatus, count: Number(r.n) }));
}
