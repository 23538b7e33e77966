import type { Db } from '../db.ts';

/** Records requested reviewers; returns the logins that were not requested before. */
export async function insertForgeReviewRequests(
  db: Db,
  repository: string,
  number: number,
  logins: readonly string[],
  now: number,
): Promise<string[]> {
  if (logins.length === 0) return [];
  const rows = await db
    .insertInto('forge_review_requests')
    .values(logins.map((login) => ({ repository, number, login, requested_at: now })))
    .onConflict((oc) => oc.columns(['repository', 'number', 'login']).doNothing())
    .returning('login')
    .execute();
  return rows.map((r) => r.login);
}
