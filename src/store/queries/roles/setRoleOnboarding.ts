import type { AccountsDb } from '../accounts/accountsSchema.ts';

/** Sets the onboarding document of a stored role; false when the workspace has no such row. */
export async function setRoleOnboarding(
  db: AccountsDb,
  workspaceId: string,
  name: string,
  markdown: string,
  by: string,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('agent_roles')
    .set({ onboarding: markdown, updated_by: by, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
