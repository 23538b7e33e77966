import type { WaitRecord } from '../../domain/records.ts';
import { waitFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listPendingWaits(
  db: Db,
  kind: WaitRecord['kind'] | null,
  limit: number,
): Promise<WaitRecord[]> {
  let q = db.selectFrom('waits').selectAll().where('status', '=', 'pending');
  if (kind) q = q.where('kind', '=', kind);
  const rows = await q.orderBy('created_at').limit(limit).execute();
  return rows.map(waitFromRow);
}
