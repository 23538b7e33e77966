import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/**
 * Inbound webhook deliveries (GitHub, the security scanner), every one of them: accepted, refused
 * (bad or missing signature, missing headers, bad JSON, too large, stale) and duplicates, with the
 * reason. An accepted delivery id is unique per source (the partial unique index): GitHub signs no
 * timestamp, so a replayed delivery, however old, is refused by its `X-GitHub-Delivery` alone.
 * Refused and duplicate rows do not hold the id: a forged delivery cannot block the real one.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', t.serial, (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text')
    .addColumn('event', 'text')
    .addColumn('action', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('payload_hash', 'text')
    .addColumn('repository', 'text')
    .addColumn('installation_id', 'bigint')
    .addColumn('event_ids', t.json)
    .addColumn('received_at', t.millis, (c) => c.notNull())
    .execute();
  // the predicate is repeated word for word by insertWebhookDelivery's ON CONFLICT (index inference)
  await db.schema
    .createIndex('webhook_deliveries_accepted')
    .on('webhook_deliveries')
    .columns(['source', 'delivery_id'])
    .unique()
    .where(sql<boolean>`status = 'accepted'`)
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_delivery')
    .on('webhook_deliveries')
    .columns(['delivery_id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_received')
    .on('webhook_deliveries')
    .columns(['received_at'])
    .execute();
}
