import type { User } from '../../../accounts/accountTypes.ts';
import { userFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** By id or by login. */
export async function getUser(
  db: AccountsDb,
  by: { id: string } | { login: string },
): Promise<User | undefined> {
  const q = db.selectFrom('users').selectAll();
  const row = await (
    'id' in by ? q.where('id', '=', by.id) : q.where('login', '=', by.login)
  ).executeTakeFirst();
  return row ? userFromRow(row) : undefined;
}
