import type { AccountsDb } from './accountsSchema.ts';

export async function updateWorkspace(
  db: AccountsDb,
  id: string,
  name: string,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('workspaces')
    .set({ name, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
