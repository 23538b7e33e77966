import type { RunRecord } from '../../domain/records.ts';
import { runToRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function insertRun(db: Db, run: RunRecord): Promise<void> {
  await db.insertInto('runs').values(runToRow(run)).execute();
}
