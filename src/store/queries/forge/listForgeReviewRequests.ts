import type { Db } from '../db.ts';

/** The logins asked to review a pull request, in the order they were asked. */
export async function listForgeReviewRequests(db: Db, repository: string, number: number): Promise<string[]> {
  const rows = await db
    .selectFrom('forge_review_requests')
    .select('login')
    .where('repository', '=', repository)
    .where('number', '=', number)
    .orderBy('requested_at')
    .orderBy('login')
    .execute();
  return rows.map((r) => r.login);
}
