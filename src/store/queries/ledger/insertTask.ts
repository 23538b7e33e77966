import type { LedgerTask } from '../../../ledger/ledgerTypes.ts';
import type { LedgerDb } from './ledgerSchema.ts';
import { taskToRow } from './taskRow.ts';

export async function insertTask(db: LedgerDb, t: LedgerTask): Promise<void> {
  await db.insertInto('agents_tasks').values(taskToRow(t)).execute();
}
