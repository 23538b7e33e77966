import type { Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/** The transcript of agent steps: every normalized event (v1), in order, per attempt. */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('agent_events')
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('event', t.json, (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_events_pk', ['step_id', 'attempt', 'seq'])
    .execute();
}
