import type { User } from '../../../accounts/accountTypes.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** false when the login is taken */
export async function insertUser(db: AccountsDb, u: User): Promise<boolean> {
  const r = await db
    .insertInto('users')
    .values({
      id: u.id,
      login: u.login,
      name: u.name,
      email: u.email,
      is_admin: u.isAdmin ? 1 : 0,
      disabled_at: u.disabledAt,
      created_at: u.createdAt,
      updated_at: u.updatedAt,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}
