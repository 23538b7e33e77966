import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/** The spine: workflows, runs, steps, attempts, waits, events, schedules, logs, idempotency, queue. */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('workflows')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', t.json, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('source_path', 'text')
    .addColumn('base_dir', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workflow_name', 'text', (c) => c.notNull())
    .addColumn('workflow_version', 'integer', (c) => c.notNull())
    .addColumn('definition', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('inputs', t.json, (c) => c.notNull())
    .addColumn('outputs', t.json)
    .addColumn('error', t.json)
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('concurrency_key', 'text')
    .addColumn('concurrency_limit', 'integer')
    .addColumn('parent_run_id', 'text')
    .addColumn('parent_step_id', 'text')
    .addColumn('parent_index', 'integer')
    .addColumn('idempotency_key', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('base_dir', 'text')
    .addColumn('loop_counts', t.json, (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('started_at', t.millis)
    .addColumn('finished_at', t.millis)
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('runs_created').on('runs').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('runs_status').on('runs').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('runs_workflow').on('runs').columns(['workflow_name', 'created_at']).execute();
  await db.schema.createIndex('runs_parent').on('runs').columns(['parent_step_id']).execute();
  await db.schema
    .createIndex('runs_admission')
    .on('runs')
    .columns(['priority desc', 'created_at', 'id'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();
  await db.schema
    .createIndex('runs_concurrency')
    .on('runs')
    .columns(['concurrency_key', 'status'])
    .where(sql.ref('concurrency_key'), 'is not', null)
    .execute();

  await db.schema
    .createTable('steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('runnable', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reclaims', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('iteration', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', t.millis, (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', t.millis)
    .addColumn('outcome', 'text')
    .addColumn('outputs', t.json)
    .addColumn('error', t.json)
    .addColumn('forced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('spec', t.json)
    .addColumn('started_at', t.millis)
    .addColumn('finished_at', t.millis)
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('steps_run_key', ['run_id', 'step_key'])
    .execute();
  // Claim paths (DESIGN §3.4): partial indexes over the queued and the leased steps.
  await db.schema
    .createIndex('steps_ready')
    .on('steps')
    .columns(['priority desc', 'available_at', 'id'])
    .where(sql<boolean>`status = 'queued' and runnable = 1`)
    .execute();
  await db.schema
    .createIndex('steps_leased')
    .on('steps')
    .columns(['lease_expires_at'])
    .where(sql.ref('status'), '=', 'running')
    .execute();

  await db.schema
    .createTable('step_attempts')
    .addColumn('step_id', 'text', (c) => c.notNull().references('steps.id').onDelete('cascade'))
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('iteration', 'integer', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('exit_code', 'integer')
    .addColumn('error', t.json)
    .addColumn('outputs', t.json)
    .addColumn('started_at', t.millis, (c) => c.notNull())
    .addColumn('finished_at', t.millis)
    .addPrimaryKeyConstraint('step_attempts_pk', ['step_id', 'attempt'])
    .$call((b) => (dialect === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
    .execute();

  await db.schema
    .createTable('waits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', t.millis)
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', t.millis)
    .addColumn('comment', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('waits_due')
    .on('waits')
    .columns(['due_at'])
    .where(sql<boolean>`status = 'pending' and due_at is not null`)
    .execute();
  await db.schema.createIndex('waits_step').on('waits').columns(['step_id', 'status']).execute();

  await db.schema
    .createTable('events')
    .addColumn('id', t.serial, (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('run_id', 'text')
    .addColumn('step_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_run').on('events').columns(['run_id', 'id']).execute();

  await db.schema
    .createTable('schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workflow_name', 'text', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('inputs', t.json, (c) => c.notNull())
    .addColumn('next_at', t.millis, (c) => c.notNull())
    .addColumn('last_slot', t.millis)
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('step_logs')
    .addColumn('step_id', 'text', (c) => c.notNull().references('steps.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('data', t.bytes, (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addPrimaryKeyConstraint('step_logs_pk', ['step_id', 'attempt', 'seq'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();

  await db.schema
    .createTable('queue_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paused_reason', 'text')
    .addColumn('max_concurrent', 'integer')
    .addColumn('stop_on_failure', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  await db
    .insertInto('queue_settings' as never)
    .values({ id: 1, paused: 0, stop_on_failure: 0, updated_at: 0 })
    .execute();

  await db.schema
    .createTable('concurrency_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('limit', 'integer', (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('runners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', t.millis, (c) => c.notNull())
    .addColumn('heartbeat_at', t.millis, (c) => c.notNull())
    .addColumn('stopped_at', t.millis)
    .execute();
}
