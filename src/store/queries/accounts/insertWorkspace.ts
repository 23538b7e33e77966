import type { Workspace } from '../../../accounts/accountTypes.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** false when the id is taken */
export async function insertWorkspace(db: AccountsDb, w: Workspace): Promise<boolean> {
  const r = await db
    .insertInto('workspaces')
    .values({ id: w.id, name: w.name, created_at: w.createdAt, updated_at: w.updatedAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}
