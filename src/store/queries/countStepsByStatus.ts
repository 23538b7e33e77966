import type { StepStatus } from '../../domain/stepStatus.ts';
import type { Db } from './db.ts';

/** Steps per status (the `baton_steps` gauge). */
export async function countStepsByStatus(db: Db): Promise<Array<{ status: StepStatus; count: number }>> {
  const rows = await db
    .selectFrom('steps')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status as StepStatus, count: Number(r.n) }));
}
