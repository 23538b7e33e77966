import type { Generated, Kysely } from 'kysely';
import type { JsonText } from '../../schema.ts';

/** Tables of migration 004 (accounts and access), and the workspace columns it added. */
export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: number;
  updated_at: number;
}
export interface UsersTable {
  id: string;
  login: string;
  name: string | null;
  email: string | null;
  is_admin: number;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}
export interface MembersTable {
  workspace_id: string;
  user_id: string;
  role: string;
  created_at: number;
  updated_at: number;
}
export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  kind: string;
  token_hash: string;
  display_prefix: string;
  workspace_id: string | null;
  role: string | null;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}
export interface SignInCodesTable {
  code_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}
export interface ProjectsTable {
  id: string;
  workspace_id: string;
  slug: string;
  name: string;
  description: string | null;
  created_at: number;
  updated_at: number;
}
export interface RepositoriesTable {
  id: string;
  workspace_id: string;
  project_id: string | null;
  name: string;
  url: string;
  default_branch: string;
  created_at: number;
  updated_at: number;
}
export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  workspace_id: string | null;
  user_id: string | null;
  login: string | null;
  token_id: string | null;
  action: string;
  method: string;
  path: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: string;
  status_code: number;
  request_id: string | null;
  ip: string | null;
  detail: JsonText | null;
}

export interface AgentRolesTable {
  workspace_id: string;
  name: string;
  spec: JsonText;
  onboarding: string | null;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface AccountsDatabase {
  agent_roles: AgentRolesTable;
  workspaces: WorkspacesTable;
  users: UsersTable;
  members: MembersTable;
  api_tokens: ApiTokensTable;
  sign_in_codes: SignInCodesTable;
  projects: ProjectsTable;
  repositories: RepositoriesTable;
  audit_events: AuditEventsTable;
  // the workspace of existing resources (for access checks)
  runs: { id: string; workspace_id: string };
  workflows: { name: string; workspace_id: string };
  agents_tasks: { id: string; workspace_id: string };
  issues: { id: string; workspace_id: string };
  events: { id: Generated<number>; workspace_id: string | null };
}

export type AccountsDb = Kysely<AccountsDatabase>;
