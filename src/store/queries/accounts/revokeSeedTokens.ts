import type { AccountsDb } from './accountsSchema.ts';

/** Revokes the `BATON_ADMIN_TOKEN` seeds other than the current one (the variable changed). */
export async function revokeSeedTokens(
  db: AccountsDb,
  keepHash: string | null,
  now: number,
): Promise<number> {
  let q = db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('kind', '=', 'seed')
    .where('revoked_at', 'is', null);
  if (keepHash !== null) q = q.where('token_hash', '!=', keepHash);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
