import type { Selectable } from 'kysely';
import type { ForgePullRequestsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** The open pull request of `head` (into `base` when given; the lowest number otherwise). */
export async function findOpenForgePullRequest(
  db: Db,
  repository: string,
  head: string,
  base?: string,
): Promise<Selectable<ForgePullRequestsTable> | undefined> {
  let q = db
    .selectFrom('forge_pull_requests')
    .selectAll()
    .where('repository', '=', repository)
    .where('state', '=', 'open')
    .where('head', '=', head);
  if (base !== undefined) q = q.where('base', '=', base);
  return q.orderBy('number').executeTakeFirst();
}
