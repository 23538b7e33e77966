import type { Workspace } from '../../../accounts/accountTypes.ts';
import { workspaceFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** By id, after a cursor; `ids` limits to those workspaces (undefined: all). */
export async function listWorkspaces(
  db: AccountsDb,
  ids: readonly string[] | undefined,
  afterId: string | undefined,
  limit: number,
): Promise<Workspace[]> {
  let q = db.selectFrom('workspaces').selectAll();
  if (ids) q = q.where('id', 'in', ids.length ? ids : ['']);
  if (afterId !== undefined) q = q.where('id', '>', afterId);
  const rows = await q.orderBy('id').limit(limit).execute();
  return rows.map(workspaceFromRow);
}
