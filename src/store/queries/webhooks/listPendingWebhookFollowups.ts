import type { PendingWebhookFollowup } from '../../../engine/ports/webhookDeliveryTypes.ts';
import { fromJson } from '../../mappers.ts';
import type { Db } from '../db.ts';

/** Pending follow-ups nobody holds (over the partial index of migration 013), oldest first. */
export async function listPendingWebhookFollowups(
  db: Db,
  now: number,
  receivedBefore: number,
  limit: number,
): Promise<PendingWebhookFollowup[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['id', 'source', 'event', 'event_ids', 'received_at'])
    .where('followup', '=', 'pending')
    .where('received_at', '<=', receivedBefore)
    .where((eb) => eb.or([eb('followup_lease_until', 'is', null), eb('followup_lease_until', '<', now)]))
    .orderBy('received_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    source: r.source as PendingWebhookFollowup['source'],
    event: r.event,
    eventIds: fromJson<number[] | null>(r.event_ids) ?? [],
    receivedAt: Number(r.received_at),
  }));
}
