import type { Member } from '../../../accounts/accountTypes.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** Adds the member or changes their role. */
export async function upsertMember(db: AccountsDb, m: Member): Promise<void> {
  await db
    .insertInto('members')
    .values({
      workspace_id: m.workspaceId,
      user_id: m.userId,
      role: m.role,
      created_at: m.createdAt,
      updated_at: m.updatedAt,
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'user_id']).doUpdateSet({ role: m.role, updated_at: m.updatedAt }),
    )
    .execute();
}
