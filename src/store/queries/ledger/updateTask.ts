import type { LedgerTask } from '../../../ledger/ledgerTypes.ts';
import type { LedgerDb } from './ledgerSchema.ts';
import { taskPatchToRow } from './taskRow.ts';

/** Compare-and-set on `updated_at`: false when the row changed (or vanished) since it was read. */
export async function updateTask(
  db: LedgerDb,
  id: string,
  patch: Partial<LedgerTask>,
  expectUpdatedAt: number,
): Promise<boolean> {
  const r = await db
    .updateTable('agents_tasks')
    .set(taskPatchToRow(patch))
    .where('id', '=', id)
    .where('updated_at', '=', expectUpdatedAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
