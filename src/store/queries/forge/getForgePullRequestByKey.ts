import type { Selectable } from 'kysely';
import type { ForgePullRequestsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** The pull request a repository's `openPullRequest` created under this idempotency key. */
export async function getForgePullRequestByKey(
  db: Db,
  repository: string,
  idempotencyKey: string,
): Promise<Selectable<ForgePullRequestsTable> | undefined> {
  return db
    .selectFrom('forge_pull_requests')
    .selectAll()
    .where('repository', '=', repository)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}
