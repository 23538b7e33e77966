import type { Member, User } from '../../../accounts/accountTypes.ts';
import { memberFromRow, userFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** A workspace's members with their user, by login after a cursor. */
export async function listMembers(
  db: AccountsDb,
  workspaceId: string,
  afterLogin: string | undefined,
  limit: number,
): Promise<Array<{ member: Member; user: User }>> {
  let q = db
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .selectAll('users')
    .select([
      'members.workspace_id',
      'members.user_id',
      'members.role',
      'members.created_at as m_created_at',
      'members.updated_at as m_updated_at',
    ])
    .where('members.workspace_id', '=', workspaceId);
  if (afterLogin !== undefined) q = q.where('users.login', '>', afterLogin);
  const rows = await q.orderBy('users.login').limit(limit).execute();
  return rows.map((r) => ({
    user: userFromRow(r),
    member: memberFromRow({ ...r, created_at: r.m_created_at, updated_at: r.m_updated_at }),
  }));
}
