import type { Repository } from '../../../accounts/accountTypes.ts';
import { repositoryFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** A workspace's repositories by name (optionally one project's), after a cursor. */
export async function listRepositories(
  db: AccountsDb,
  f: { workspaceId: string; projectId?: string; afterName?: string; limit: number },
): Promise<Repository[]> {
  let q = db.selectFrom('repositories').selectAll().where('workspace_id', '=', f.workspaceId);
  if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
  if (f.afterName !== undefined) q = q.where('name', '>', f.afterName);
  const rows = await q.orderBy('name').limit(f.limit).execute();
  return rows.map(repositoryFromRow);
}
