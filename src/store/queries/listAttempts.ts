import type { StepAttemptRecord } from '../../domain/records.ts';
import { attemptFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listAttempts(db: Db, runId: string): Promise<StepAttemptRecord[]> {
  const rows = await db
    .selectFrom('step_attempts')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('started_at')
    .orderBy('attempt')
    .execute();
  return rows.map(attemptFromRow);
}
