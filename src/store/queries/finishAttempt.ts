import type { StepAttemptRecord } from '../../domain/records.ts';
import { attemptPatchToRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function finishAttempt(
  db: Db,
  stepId: string,
  attempt: number,
  patch: Partial<StepAttemptRecord>,
): Promise<void> {
  await db
    .updateTable('step_attempts')
    .set(attemptPatchToRow(patch))
    .where('step_id', '=', stepId)
    .where('attempt', '=', attempt)
    .execute();
}
