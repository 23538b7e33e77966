import type { AccountsDb } from '../accounts/accountsSchema.ts';
import { storedRoleFromRow, type StoredRole } from './storedRole.ts';

export async function getRole(
  db: AccountsDb,
  workspaceId: string,
  name: string,
): Promise<StoredRole | undefined> {
  const row = await db
    .selectFrom('agent_roles')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? storedRoleFromRow(row) : undefined;
}
