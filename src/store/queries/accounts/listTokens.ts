import type { ApiToken } from '../../../accounts/accountTypes.ts';
import { tokenFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** A user's tokens (or everyone's), newest first, keyset on id (ids are time-ordered). */
export async function listTokens(
  db: AccountsDb,
  userId: string | undefined,
  beforeId: string | undefined,
  limit: number,
): Promise<ApiToken[]> {
  let q = db.selectFrom('api_tokens').selectAll().where('kind', '!=', 'session');
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  if (beforeId !== undefined) q = q.where('id', '<', beforeId);
  const rows = await q.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(tokenFromRow);
}
