import type { Member } from '../../../accounts/accountTypes.ts';
import { memberFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

export async function listMembershipsOfUser(db: AccountsDb, userId: string): Promise<Member[]> {
  const rows = await db.selectFrom('members').selectAll().where('user_id', '=', userId).execute();
  return rows.map(memberFromRow);
}
