import type { Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/**
 * What each agent attempt spent and which session it ran (resume, follow-ups, run and workspace
 * budgets), and the agent budget of each workspace.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('agent_attempts')
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('step_key', 'text', (c) => c.notNull())
    .addColumn('iteration', 'integer', (c) => c.notNull())
    .addColumn('runtime', 'text', (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('session_id', 'text')
    .addColumn('home_dir', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('tokens_in', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('tokens_out', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('tokens_cached', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_usd', 'double precision')
    .addColumn('turns', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', t.millis, (c) => c.notNull())
    .addColumn('finished_at', t.millis)
    .addPrimaryKeyConstraint('agent_attempts_pk', ['step_id', 'attempt'])
    .execute();
  await db.schema.createIndex('agent_attempts_run').on('agent_attempts').columns(['run_id']).execute();
  await db.schema
    .createIndex('agent_attempts_workspace')
    .on('agent_attempts')
    .columns(['workspace_id', 'started_at'])
    .execute();
  await db.schema
    .createTable('workspace_budgets')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'bigint')
    .addColumn('usd', 'double precision')
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}
