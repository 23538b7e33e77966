import type { StepRecord } from '../../domain/records.ts';
import { stepFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function getStep(db: Db, id: string): Promise<StepRecord | undefined> {
  const row = await db.selectFrom('steps').selectAll().where('id', '=', id).executeTakeFirst();
  return row && stepFromRow(row);
}
