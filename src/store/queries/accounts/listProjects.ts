import type { Project } from '../../../accounts/accountTypes.ts';
import { projectFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** A workspace's projects by slug, after a cursor. */
export async function listProjects(
  db: AccountsDb,
  workspaceId: string,
  afterSlug: string | undefined,
  limit: number,
): Promise<Project[]> {
  let q = db.selectFrom('projects').selectAll().where('workspace_id', '=', workspaceId);
  if (afterSlug !== undefined) q = q.where('slug', '>', afterSlug);
  const rows = await q.orderBy('slug').limit(limit).execute();
  return rows.map(projectFromRow);
}
