import type { Repository } from '../../../accounts/accountTypes.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** false when the workspace already has a repository with that name */
export async function insertRepository(db: AccountsDb, r: Repository): Promise<boolean> {
  const res = await db
    .insertInto('repositories')
    .values({
      id: r.id,
      workspace_id: r.workspaceId,
      project_id: r.projectId,
      name: r.name,
      url: r.url,
      default_branch: r.defaultBranch,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}
