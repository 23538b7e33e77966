import type { Db } from '../db.ts';

/**
 * Takes a pending follow-up for `leaseMs`: a compare-and-set on the lease, so of two takers (the
 * request that received the delivery and a sweep, two replicas) one wins; an expired lease (its
 * holder died) can be taken again.
 */
export async function claimWebhookFollowup(
  db: Db,
  id: number,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ followup_lease_until: now + leaseMs })
    .where('id', '=', id)
    .where('followup', '=', 'pending')
    .where((eb) => eb.or([eb('followup_lease_until', 'is', null), eb('followup_lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
