import type { Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/**
 * The issue tree (epic → features → tasks, defects anywhere): ordered children, a per-workspace
 * number for branch names, the run that owns the tree, and the forge references filled later.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('issues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('root_id', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('branch', 'text', (c) => c.notNull())
    .addColumn('pr_number', 'integer')
    .addColumn('pr_url', 'text')
    .addColumn('github_issue_number', 'integer')
    .addColumn('created_by', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('issues_workspace_number')
    .on('issues')
    .columns(['workspace_id', 'number'])
    .unique()
    .execute();
  await db.schema.createIndex('issues_root').on('issues').columns(['root_id']).execute();
  await db.schema.createIndex('issues_run').on('issues').columns(['run_id']).execute();
}
