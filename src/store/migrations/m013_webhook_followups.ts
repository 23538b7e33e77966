import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/**
 * What an accepted delivery asks Baton to do besides writing its events (a slash command in a
 * comment, a mirrored issue closed on GitHub): `followup` is `pending` until it is done (`done`,
 * or `failed` with the reason in `followup_result`). It is carried out under a lease
 * (`followup_lease_until`) right after the delivery is answered, and again by a sweep when the
 * process died first: nothing a delivery asked for is lost with the process.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  // one column per statement: SQLite's ALTER TABLE adds one at a time
  await db.schema.alterTable('webhook_deliveries').addColumn('followup', 'text').execute();
  await db.schema.alterTable('webhook_deliveries').addColumn('followup_lease_until', t.millis).execute();
  await db.schema.alterTable('webhook_deliveries').addColumn('followup_result', 'text').execute();
  await db.schema
    .createIndex('webhook_deliveries_followup_pending')
    .on('webhook_deliveries')
    .columns(['received_at'])
    .where(sql<boolean>`followup = 'pending'`)
    .execute();
}
