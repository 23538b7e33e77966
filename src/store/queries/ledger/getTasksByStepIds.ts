import type { LedgerTask } from '../../../ledger/ledgerTypes.ts';
import type { LedgerDb } from './ledgerSchema.ts';
import { taskFromRow } from './taskRow.ts';

export async function getTasksByStepIds(db: LedgerDb, stepIds: string[]): Promise<LedgerTask[]> {
  if (stepIds.length === 0) return [];
  const rows = await db.selectFrom('agents_tasks').selectAll().where('step_id', 'in', stepIds).execute();
  return rows.map(taskFromRow);
}
