import type { AccountsDb } from '../accounts/accountsSchema.ts';
import { storedRoleFromRow, type StoredRole } from './storedRole.ts';

/** A workspace's stored roles, by name (a catalog is small: no paging). */
export async function listRoles(db: AccountsDb, workspaceId: string): Promise<StoredRole[]> {
  const rows = await db
    .selectFrom('agent_roles')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .limit(1000)
    .execute();
  return rows.map(storedRoleFromRow);
}
