import type { Db } from '../db.ts';

/** Ends a pending follow-up: done (what it did) or failed (why). A finished one is left as it is. */
export async function finishWebhookFollowup(
  db: Db,
  id: number,
  status: 'done' | 'failed',
  result: string,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ followup: status, followup_result: result.slice(0, 2000), followup_lease_until: null })
    .where('id', '=', id)
    .where('followup', '=', 'pending')
    .execute();
}
