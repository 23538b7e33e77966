import type { RunRecord } from '../../domain/records.ts';
import { runFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function getRun(db: Db, id: string): Promise<RunRecord | undefined> {
  const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && runFromRow(row);
}
