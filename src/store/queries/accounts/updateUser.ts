import type { User } from '../../../accounts/accountTypes.ts';
import type { AccountsDb } from './accountsSchema.ts';

export async function updateUser(
  db: AccountsDb,
  id: string,
  patch: Partial<Pick<User, 'name' | 'email' | 'isAdmin' | 'disabledAt'>>,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.email === undefined ? {} : { email: patch.email }),
      ...(patch.isAdmin === undefined ? {} : { is_admin: patch.isAdmin ? 1 : 0 }),
      ...(patch.disabledAt === undefined ? {} : { disabled_at: patch.disabledAt }),
      updated_at: now,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
