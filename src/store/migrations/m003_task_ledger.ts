import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/**
 * The agent task ledger (DESIGN §1, issue 3): one row per task reported by a script (POST
 * /agents/tasks/) or per step Baton runs (the ledger projector), and the projector's durable
 * position in the events outbox.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('agents_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('step_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    // never null: a row without an explicit start sorts at its creation time (keyset order)
    .addColumn('started_at', t.millis, (c) => c.notNull())
    .addColumn('finished_at', t.millis)
    .addColumn('duration_ms', t.millis)
    .addColumn('inputs', t.json)
    .addColumn('outputs_uri', 'text')
    .addColumn('log_excerpt', 'text')
    .addColumn('approval_state', 'text')
    .addColumn('approver', 'text')
    .addColumn('webhook_notified_at', t.millis)
    .addColumn('webhook_error', 'text')
    .addColumn('webhook_claimed_until', t.millis)
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  // keyset pagination on (started_at, id), alone and under each equality filter
  await db.schema
    .createIndex('agents_tasks_started')
    .on('agents_tasks')
    .columns(['started_at', 'id'])
    .execute();
  await db.schema
    .createIndex('agents_tasks_status')
    .on('agents_tasks')
    .columns(['status', 'started_at', 'id'])
    .execute();
  await db.schema
    .createIndex('agents_tasks_task')
    .on('agents_tasks')
    .columns(['task', 'started_at', 'id'])
    .execute();
  await db.schema
    .createIndex('agents_tasks_run')
    .on('agents_tasks')
    .columns(['run_id', 'started_at', 'id'])
    .execute();
  // one row per Baton step (NULLs are distinct in both dialects: API rows have none)
  await db.schema.createIndex('agents_tasks_step').on('agents_tasks').column('step_id').unique().execute();
  // rows still owing their approval notification (found again after a restart)
  await db.schema
    .createIndex('agents_tasks_notify')
    .on('agents_tasks')
    .columns(['started_at'])
    .where(
      sql<boolean>`status = 'awaiting_approval' and approval_state = 'pending' and webhook_notified_at is null`,
    )
    .execute();

  await db.schema
    .createTable('ledger_cursor')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('position', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
}
