import type { LedgerTask } from '../../../ledger/ledgerTypes.ts';
import type { LedgerDb } from './ledgerSchema.ts';
import { taskFromRow } from './taskRow.ts';

/** One row; with `forUpdate` (PostgreSQL, inside a transaction) it stays locked until commit. */
export async function getTask(db: LedgerDb, id: string, forUpdate = false): Promise<LedgerTask | undefined> {
  let q = db.selectFrom('agents_tasks').selectAll().where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? taskFromRow(row) : undefined;
}
