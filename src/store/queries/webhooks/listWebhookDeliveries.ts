import type { Selectable } from 'kysely';
import type {
  WebhookDeliveryFilter,
  WebhookDeliveryRecord,
} from '../../../engine/ports/webhookDeliveryTypes.ts';
import { fromJson } from '../../mappers.ts';
import type { WebhookDeliveriesTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** Recorded webhook deliveries, oldest first after an id (optionally one source's, one delivery id's). */
export async function listWebhookDeliveries(
  db: Db,
  f: WebhookDeliveryFilter,
): Promise<WebhookDeliveryRecord[]> {
  let q = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '>', f.afterId ?? 0);
  if (f.source !== undefined) q = q.where('source', '=', f.source);
  if (f.deliveryId !== undefined) q = q.where('delivery_id', '=', f.deliveryId);
  const rows = await q.orderBy('id').limit(f.limit).execute();
  return rows.map(deliveryFromRow);
}

function deliveryFromRow(r: Selectable<WebhookDeliveriesTable>): WebhookDeliveryRecord {
  return {
    id: Number(r.id),
    source: r.source as WebhookDeliveryRecord['source'],
    deliveryId: r.delivery_id,
    event: r.event,
    action: r.action,
    status: r.status as WebhookDeliveryRecord['status'],
    reason: r.reason,
    payloadHash: r.payload_hash,
    repository: r.repository,
    installationId: r.installation_id === null ? null : Number(r.installation_id),
    eventIds: fromJson<number[] | null>(r.event_ids) ?? [],
    receivedAt: Number(r.received_at),
    followup: r.followup as WebhookDeliveryRecord['followup'],
    followupResult: r.followup_result,
  };
}
