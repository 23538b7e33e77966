import type { AttemptKeyset, FinishedAttemptTiming } from '../../engine/ports/store.ts';
import type { Db } from './db.ts';

/** Attempts finished after a keyset on (finished_at, step_id, attempt), oldest first. */
export async function listFinishedAttempts(
  db: Db,
  after: AttemptKeyset,
  limit: number,
): Promise<FinishedAttemptTiming[]> {
  const rows = await db
    .selectFrom('step_attempts')
    .select(['step_id', 'attempt', 'status', 'started_at', 'finished_at'])
    .where('finished_at', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('finished_at', '>', after.finishedAt),
        eb.and([eb('finished_at', '=', after.finishedAt), eb('step_id', '>', after.stepId)]),
        eb.and([
          eb('finished_at', '=', after.finishedAt),
          eb('step_id', '=', after.stepId),
          eb('attempt', '>', after.attempt),
        ]),
      ]),
    )
    .orderBy('finished_at')
    .orderBy('step_id')
    .orderBy('attempt')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    stepId: r.step_id,
    attempt: Number(r.attempt),
    status: r.status as FinishedAttemptTiming['status'],
    startedAt: Number(r.started_at),
    finishedAt: Number(r.finished_at),
  }));
}
