import type { WaitRecord } from '../../domain/records.ts';
import { waitToRow } from '../mappers.ts';
import type { Db } from './db.ts';

/** pending → decided, exactly once (compare-and-set). */
export async function resolveWait(db: Db, id: string, patch: Partial<WaitRecord>): Promise<boolean> {
  const r = await db
    .updateTable('waits')
    .set(waitToRow(patch))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
