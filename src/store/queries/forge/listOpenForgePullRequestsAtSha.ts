import type { Selectable } from 'kysely';
import type { ForgePullRequestsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** The open pull requests whose recorded head is `sha`, by number. */
export async function listOpenForgePullRequestsAtSha(
  db: Db,
  repository: string,
  sha: string,
): Promise<Selectable<ForgePullRequestsTable>[]> {
  return db
    .selectFrom('forge_pull_requests')
    .selectAll()
    .where('repository', '=', repository)
    .where('head_sha', '=', sha)
    .where('state', '=', 'open')
    .orderBy('number')
    .execute();
}
