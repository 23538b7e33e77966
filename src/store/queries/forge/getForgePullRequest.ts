import type { Selectable } from 'kysely';
import type { ForgePullRequestsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** Pull request `number` of a local-forge repository. */
export async function getForgePullRequest(
  db: Db,
  repository: string,
  number: number,
): Promise<Selectable<ForgePullRequestsTable> | undefined> {
  return db
    .selectFrom('forge_pull_requests')
    .selectAll()
    .where('repository', '=', repository)
    .where('number', '=', number)
    .executeTakeFirst();
}
