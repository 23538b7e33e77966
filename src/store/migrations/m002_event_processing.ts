import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/**
 * The HTTP API's event endpoints: external events (`POST /api/v1/events`) are flagged, and a consumer
 * marks them processed (`processed_at`). Engine events keep `external = 0` and are never pending.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('events').addColumn('processed_at', t.millis).execute();
  await db.schema
    .alterTable('events')
    .addColumn('external', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('events_pending')
    .on('events')
    .columns(['id'])
    .where(sql<boolean>`external = 1 and processed_at is null`)
    .execute();
  await db.schema.createIndex('events_type').on('events').columns(['type', 'id']).execute();
}
