import type { Db } from '../db.ts';

/** The next pull request number of a repository (a race ends in the unique index: retry). */
export async function nextForgePullRequestNumber(db: Db, repository: string): Promise<number> {
  const row = await db
    .selectFrom('forge_pull_requests')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('repository', '=', repository)
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}
