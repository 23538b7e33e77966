import type { WaitRecord } from '../../domain/records.ts';
import { waitFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function getPendingWait(db: Db, stepId: string): Promise<WaitRecord | undefined> {
  const row = await db
    .selectFrom('waits')
    .selectAll()
    .where('step_id', '=', stepId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row && waitFromRow(row);
}
