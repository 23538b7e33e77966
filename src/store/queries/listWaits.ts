import type { WaitRecord } from '../../domain/records.ts';
import { waitFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listWaits(db: Db, runId: string): Promise<WaitRecord[]> {
  const rows = await db
    .selectFrom('waits')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('created_at')
    .execute();
  return rows.map(waitFromRow);
}
