import type { LedgerDb } from './ledgerSchema.ts';

/**
 * Ends a claimed notification: `notifiedAt` set (with the error when every try failed), or null to
 * give the claim back (stopped before the end; another sender takes it after a restart).
 */
export async function finishNotification(
  db: LedgerDb,
  id: string,
  claimedUntil: number,
  notifiedAt: number | null,
  error: string | null,
): Promise<void> {
  await db
    .updateTable('agents_tasks')
    .set({ webhook_notified_at: notifiedAt, webhook_error: error, webhook_claimed_until: null })
    .where('id', '=', id)
    .where('webhook_claimed_until', '=', claimedUntil)
    .execute();
}
