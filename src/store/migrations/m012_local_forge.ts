import { sql, type Kysely } from 'kysely';
import { columnTypes, type DialectName } from './columnTypes.ts';

/**
 * The local forge (bare repositories on disk, pull requests as Baton records): pull requests
 * numbered per repository, their comments, reviews and requested reviewers, commit statuses (one
 * per sha and context, the latest wins), and an outbox of the neutral events each change emits.
 * Idempotency keys are unique, so a step that runs twice finds what its first run created; at
 * most one pull request is open per head → base (the partial unique index).
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('forge_pull_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('head', 'text', (c) => c.notNull())
    .addColumn('base', 'text', (c) => c.notNull())
    .addColumn('head_sha', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('draft', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('merge_key', 'text')
    .addColumn('merge_sha', 'text')
    .addColumn('merge_method', 'text')
    .addColumn('merged_base_sha', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addColumn('merged_at', t.millis)
    .execute();
  await db.schema
    .createIndex('forge_pull_requests_number')
    .on('forge_pull_requests')
    .columns(['repository', 'number'])
    .unique()
    .execute();
  await db.schema
    .createIndex('forge_pull_requests_key')
    .on('forge_pull_requests')
    .columns(['repository', 'idempotency_key'])
    .unique()
    .execute();
  await db.schema
    .createIndex('forge_pull_requests_open')
    .on('forge_pull_requests')
    .columns(['repository', 'head', 'base'])
    .unique()
    .where(sql<boolean>`state = 'open'`)
    .execute();
  await db.schema
    .createIndex('forge_pull_requests_head_sha')
    .on('forge_pull_requests')
    .columns(['repository', 'head_sha'])
    .execute();

  await db.schema
    .createTable('forge_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('progress_key', 'text')
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('forge_comments_key')
    .on('forge_comments')
    .columns(['repository', 'number', 'idempotency_key'])
    .unique()
    .execute();
  // NULLs are distinct in both dialects: only progress comments are constrained
  await db.schema
    .createIndex('forge_comments_progress')
    .on('forge_comments')
    .columns(['repository', 'number', 'progress_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('forge_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('commit_sha', 'text', (c) => c.notNull())
    .addColumn('comments', t.json, (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('submitted_at', t.millis, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('forge_reviews_key')
    .on('forge_reviews')
    .columns(['repository', 'number', 'idempotency_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('forge_review_requests')
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('requested_at', t.millis, (c) => c.notNull())
    .addPrimaryKeyConstraint('forge_review_requests_pk', ['repository', 'number', 'login'])
    .execute();

  await db.schema
    .createTable('forge_statuses')
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('target_url', 'text')
    .addColumn('updated_at', t.millis, (c) => c.notNull())
    .addPrimaryKeyConstraint('forge_statuses_pk', ['repository', 'sha', 'context'])
    .execute();

  await db.schema
    .createTable('forge_events')
    .addColumn('id', t.serial, (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('created_at', t.millis, (c) => c.notNull())
    .addColumn('emitted_at', t.millis)
    .execute();
  await db.schema
    .createIndex('forge_events_pending')
    .on('forge_events')
    .column('id')
    .where(sql<boolean>`emitted_at is null`)
    .execute();
}
