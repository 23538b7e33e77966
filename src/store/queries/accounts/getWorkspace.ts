import type { Workspace } from '../../../accounts/accountTypes.ts';
import { workspaceFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

export async function getWorkspace(db: AccountsDb, id: string): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? workspaceFromRow(row) : undefined;
}
