import type { Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/** The agent role catalog of each workspace: overrides of the built-in roles and custom roles. */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('agent_roles')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('spec', t.json, (c) => c.notNull())
    .addColumn('onboarding', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_roles_pk', ['workspace_id', 'name'])
    .execute();
}
