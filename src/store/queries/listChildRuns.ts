import type { RunRecord } from '../../domain/records.ts';
import { runFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listChildRuns(db: Db, parentStepId: string): Promise<RunRecord[]> {
  const rows = await db
    .selectFrom('runs')
    .selectAll()
    .where('parent_step_id', '=', parentStepId)
    .orderBy('parent_index')
    .execute();
  return rows.map(runFromRow);
}
