import type { Project } from '../../../accounts/accountTypes.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** false when the workspace already has a project with that slug */
export async function insertProject(db: AccountsDb, p: Project): Promise<boolean> {
  const r = await db
    .insertInto('projects')
    .values({
      id: p.id,
      workspace_id: p.workspaceId,
      slug: p.slug,
      name: p.name,
      description: p.description,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}
