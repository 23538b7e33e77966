import type { AccountsDb } from './accountsSchema.ts';

/** false when it does not exist or was already revoked */
export async function revokeToken(db: AccountsDb, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
