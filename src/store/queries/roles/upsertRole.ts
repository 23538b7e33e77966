import { toJson } from '../../mappers.ts';
import type { AccountsDb } from '../accounts/accountsSchema.ts';
import type { StoredRole } from './storedRole.ts';

/** Stores a role's spec (keeping its onboarding document unless one is given). */
export async function upsertRole(db: AccountsDb, r: StoredRole): Promise<void> {
  await db
    .insertInto('agent_roles')
    .values({
      workspace_id: r.workspaceId,
      name: r.name,
      spec: toJson(r.spec),
      onboarding: r.onboarding,
      updated_by: r.updatedBy,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'name']).doUpdateSet({
        spec: toJson(r.spec),
        ...(r.onboarding === null ? {} : { onboarding: r.onboarding }),
        updated_by: r.updatedBy,
        updated_at: r.updatedAt,
      }),
    )
    .execute();
}
