import type { RunRecord } from '../../domain/records.ts';
import { runFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

/**
 * `forUpdate`: lock the row for the rest of the transaction (PostgreSQL). Every transaction that
 * changes a run reads it first, so two transactions finishing steps of the same run serialise and
 * the second one sees the first one's steps (otherwise both could miss that the run is done).
 */
export async function getRun(db: Db, id: string, forUpdate = false): Promise<RunRecord | undefined> {
  let q = db.selectFrom('runs').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && runFromRow(row);
}
