import type { User } from '../../../accounts/accountTypes.ts';
import { userFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** By login, after a cursor. */
export async function listUsers(
  db: AccountsDb,
  afterLogin: string | undefined,
  limit: number,
): Promise<User[]> {
  let q = db.selectFrom('users').selectAll();
  if (afterLogin !== undefined) q = q.where('login', '>', afterLogin);
  const rows = await q.orderBy('login').limit(limit).execute();
  return rows.map(userFromRow);
}
