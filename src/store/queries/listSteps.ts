import type { StepRecord } from '../../domain/records.ts';
import { stepFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listSteps(db: Db, runId: string): Promise<StepRecord[]> {
  const rows = await db
    .selectFrom('steps')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('position')
    .execute();
  return rows.map(stepFromRow);
}
