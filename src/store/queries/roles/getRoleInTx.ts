import type { Db } from '../db.ts';
import type { AccountsDb } from '../accounts/accountsSchema.ts';
import { getRole } from './getRole.ts';
import type { StoredRole } from './storedRole.ts';

/**
 * `getRole` on the engine's connection or transaction (the `agent_roles` table lives in the same
 * database; the accounts store binds the same query to its own connection).
 */
export function getRoleInTx(db: Db, workspaceId: string, name: string): Promise<StoredRole | undefined> {
  return getRole(db as unknown as AccountsDb, workspaceId, name);
}
