import type { AccountsDb } from '../accounts/accountsSchema.ts';

export async function deleteRole(db: AccountsDb, workspaceId: string, name: string): Promise<boolean> {
  const r = await db
    .deleteFrom('agent_roles')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
