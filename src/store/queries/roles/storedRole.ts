import type { Selectable } from 'kysely';
import { fromJson } from '../../mappers.ts';
import type { AgentRolesTable } from '../accounts/accountsSchema.ts';

/** A role stored in a workspace's catalog (its spec is validated by the caller, not here). */
export interface StoredRole {
  workspaceId: string;
  name: string;
  spec: unknown;
  onboarding: string | null;
  updatedBy: string | null;
  createdAt: number;
  updatedAt: number;
}

export const storedRoleFromRow = (r: Selectable<AgentRolesTable>): StoredRole => ({
  workspaceId: r.workspace_id,
  name: r.name,
  spec: fromJson(r.spec),
  onboarding: r.onboarding,
  updatedBy: r.updated_by,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});
