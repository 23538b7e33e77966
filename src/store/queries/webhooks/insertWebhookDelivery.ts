import { sql } from 'kysely';
import type { NewWebhookDelivery } from '../../../engine/ports/webhookDeliveryTypes.ts';
import { toJson } from '../../mappers.ts';
import type { Db } from '../db.ts';

/**
 * Records one delivery and returns its row id. An `accepted` delivery whose (source, delivery id)
 * was accepted before is not written (undefined): the partial unique index of migration 010 is the
 * deduplication, race-free across replicas (PostgreSQL waits for the other transaction to end).
 */
export async function insertWebhookDelivery(db: Db, d: NewWebhookDelivery): Promise<number | undefined> {
  const q = db.insertInto('webhook_deliveries').values({
    source: d.source,
    delivery_id: d.deliveryId,
    event: d.event,
    action: d.action,
    status: d.status,
    reason: d.reason,
    payload_hash: d.payloadHash,
    repository: d.repository,
    installation_id: d.installationId,
    event_ids: d.eventIds.length ? toJson(d.eventIds) : null,
    received_at: d.receivedAt,
    followup: d.status === 'accepted' ? (d.followup ?? null) : null,
  });
  const row = await (
    d.status === 'accepted'
      ? // the same predicate as the index, as a literal: both dialects infer the arbiter index from it
        q.onConflict((oc) =>
          oc
            .columns(['source', 'delivery_id'])
            .where(sql<boolean>`status = 'accepted'`)
            .doNothing(),
        )
      : q
  )
    .returning('id')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.id);
}
