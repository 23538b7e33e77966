import type { LedgerDb } from './ledgerSchema.ts';

/** Takes the right to notify about one row until `until`; false when it is not owed or taken. */
export async function claimNotification(
  db: LedgerDb,
  id: string,
  now: number,
  until: number,
): Promise<boolean> {
  const r = await db
    .updateTable('agents_tasks')
    .set({ webhook_claimed_until: until })
    .where('id', '=', id)
    .where('status', '=', 'awaiting_approval')
    .where('approval_state', '=', 'pending')
    .where('webhook_notified_at', 'is', null)
    .where((eb) => eb.or([eb('webhook_claimed_until', 'is', null), eb('webhook_claimed_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
