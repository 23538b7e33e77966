import type { WaitRecord } from '../../domain/records.ts';
import { waitFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listDueWaits(db: Db, now: number, limit: number): Promise<WaitRecord[]> {
  const rows = await db
    .selectFrom('waits')
    .selectAll()
    .where('status', '=', 'pending')
    .where('due_at', 'is not', null)
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .limit(limit)
    .execute();
  return rows.map(waitFromRow);
}
