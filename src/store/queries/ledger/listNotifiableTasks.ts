import type { LedgerTask } from '../../../ledger/ledgerTypes.ts';
import type { LedgerDb } from './ledgerSchema.ts';
import { taskFromRow } from './taskRow.ts';

/** Rows awaiting approval whose notification is still owed and not claimed by a live sender. */
export async function listNotifiableTasks(db: LedgerDb, now: number, limit: number): Promise<LedgerTask[]> {
  const rows = await db
    .selectFrom('agents_tasks')
    .selectAll()
    .where('status', '=', 'awaiting_approval')
    .where('approval_state', '=', 'pending')
    .where('webhook_notified_at', 'is', null)
    .where((eb) => eb.or([eb('webhook_claimed_until', 'is', null), eb('webhook_claimed_until', '<', now)]))
    .orderBy('started_at')
    .limit(limit)
    .execute();
  return rows.map(taskFromRow);
}
