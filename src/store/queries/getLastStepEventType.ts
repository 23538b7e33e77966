import type { Db } from './db.ts';

/** The type of a step's latest outbox event (over the `events_run` index), if it has any. */
export async function getLastStepEventType(
  db: Db,
  runId: string,
  stepId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('events')
    .select('type')
    .where('run_id', '=', runId)
    .where('step_id', '=', stepId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.type;
}
