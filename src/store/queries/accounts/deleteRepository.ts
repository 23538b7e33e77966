import type { AccountsDb } from './accountsSchema.ts';

export async function deleteRepository(db: AccountsDb, id: string): Promise<boolean> {
  const r = await db.deleteFrom('repositories').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
