import type { ForgePullRequestsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/**
 * Changes the columns of `patch`, only while the row still has the `expect`ed state and head (a
 * compare-and-set); false when no row matched.
 */
export async function updateForgePullRequest(
  db: Db,
  id: string,
  patch: Partial<ForgePullRequestsTable>,
  expect: { state?: string; headSha?: string } = {},
): Promise<boolean> {
  let q = db.updateTable('forge_pull_requests').set(patch).where('id', '=', id);
  if (expect.state !== undefined) q = q.where('state', '=', expect.state);
  if (expect.headSha !== undefined) q = q.where('head_sha', '=', expect.headSha);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
