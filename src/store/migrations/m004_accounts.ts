import { sql, type Kysely } from 'kysely';
import { DEFAULT_WORKSPACE } from '../../domain/access/defaultWorkspace.ts';
import { columnTypes, type DialectName } from './columnTypes.ts';

/**
 * Accounts and access (issue 3): workspaces, users, members with a role, projects, repositories,
 * API tokens (hashed), one-time sign-in codes, the audit log; and the workspace of workflows, runs,
 * events and ledger rows.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const serial = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', t.serial, (c) =>
        dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
      );

  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled_at', t.millis)
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addPrimaryKeyConstraint('members_pk', ['workspace_id', 'user_id'])
    .execute();
  await db.schema.createIndex('members_user').on('members').columns(['user_id']).execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // sha256 of the secret, hex: the secret itself is shown once and never stored
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // the first characters of the secret, to recognise a token in a list
    .addColumn('display_prefix', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text')
    .addColumn('role', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('expires_at', t.millis)
    .addColumn('last_used_at', t.millis)
    .addColumn('revoked_at', t.millis)
    .execute();
  await db.schema
    .createIndex('api_tokens_user')
    .on('api_tokens')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('sign_in_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('expires_at', t.millis, (c) => c.notNull())
    .addColumn('used_at', t.millis)
    .execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('projects_slug', ['workspace_id', 'slug'])
    .execute();

  await db.schema
    .createTable('repositories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('default_branch', 'text', (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addUniqueConstraint('repositories_name', ['workspace_id', 'name'])
    .execute();

  await serial('audit_events')
    .addColumn('at', t.millis, (c) => c.notNull())
    .addColumn('workspace_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('login', 'text')
    .addColumn('token_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text')
    .addColumn('resource_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('detail', t.json)
    .execute();
  await db.schema.createIndex('audit_workspace').on('audit_events').columns(['workspace_id', 'id']).execute();

  for (const table of ['workflows', 'runs', 'agents_tasks']) {
    await db.schema
      .alterTable(table)
      .addColumn('workspace_id', 'text', (c) => c.notNull().defaultTo(DEFAULT_WORKSPACE))
      .execute();
  }
  await db.schema.alterTable('events').addColumn('workspace_id', 'text').execute();
  await db.schema
    .createIndex('runs_workspace')
    .on('runs')
    .columns(['workspace_id', 'created_at', 'id'])
    .execute();
  await db.schema.createIndex('events_workspace').on('events').columns(['workspace_id', 'id']).execute();
  // existing engine events belong to their run's workspace: every run so far is in the default one
  await sql`update events set workspace_id = ${DEFAULT_WORKSPACE}`.execute(db);

  const now = Date.now();
  await sql`insert into workspaces (id, name, created_at, updated_at) values (${DEFAULT_WORKSPACE}, 'Default', ${now}, ${now})`.execute(
    db,
  );
}
