import type { AccountsDb } from './accountsSchema.ts';

/** Deletes the project; its repositories stay in the workspace, unassigned. */
export async function deleteProject(db: AccountsDb, id: string, now: number): Promise<boolean> {
  await db
    .updateTable('repositories')
    .set({ project_id: null, updated_at: now })
    .where('project_id', '=', id)
    .execute();
  const r = await db.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
