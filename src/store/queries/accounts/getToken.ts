import type { ApiToken } from '../../../accounts/accountTypes.ts';
import { tokenFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** By id or by the sha256 of its secret. */
export async function getToken(
  db: AccountsDb,
  by: { id: string } | { hash: string },
): Promise<ApiToken | undefined> {
  const q = db.selectFrom('api_tokens').selectAll();
  const row = await (
    'id' in by ? q.where('id', '=', by.id) : q.where('token_hash', '=', by.hash)
  ).executeTakeFirst();
  return row ? tokenFromRow(row) : undefined;
}
