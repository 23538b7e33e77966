import type { StepRecord } from '../../domain/records.ts';
import { stepFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listExpiredLeases(db: Db, now: number, limit: number): Promise<StepRecord[]> {
  const rows = await db
    .selectFrom('steps')
    .selectAll()
    .where('status', '=', 'running')
    .where('lease_expires_at', '<', now)
    .orderBy('lease_expires_at')
    .limit(limit)
    .execute();
  return rows.map(stepFromRow);
}
