import type { AccountsDb } from './accountsSchema.ts';

export async function deleteMember(db: AccountsDb, workspaceId: string, userId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('members')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
