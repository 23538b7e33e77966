import type { StepRecord } from '../../domain/records.ts';
import { stepToRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function insertSteps(db: Db, steps: StepRecord[]): Promise<void> {
  if (steps.length === 0) return;
  await db.insertInto('steps').values(steps.map(stepToRow)).execute();
}
