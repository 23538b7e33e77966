import type { Selectable } from 'kysely';
import type {
  ApiToken,
  AuditEvent,
  Member,
  Project,
  Repository,
  User,
  Workspace,
} from '../../../accounts/accountTypes.ts';
import type { TokenKind } from '../../../domain/access/principal.ts';
import type { Role } from '../../../domain/access/roles.ts';
import { fromJson } from '../../mappers.ts';
import type { AccountsDatabase } from './accountsSchema.ts';

type Row<T extends keyof AccountsDatabase> = Selectable<AccountsDatabase[T]>;
const n = (v: number | string | null): number | null => (v === null ? null : Number(v));

export const workspaceFromRow = (r: Row<'workspaces'>): Workspace => ({
  id: r.id,
  name: r.name,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const userFromRow = (r: Row<'users'>): User => ({
  id: r.id,
  login: r.login,
  name: r.name,
  email: r.email,
  isAdmin: Number(r.is_admin) === 1,
  disabledAt: n(r.disabled_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const memberFromRow = (r: Row<'members'>): Member => ({
  workspaceId: r.workspace_id,
  userId: r.user_id,
  role: r.role as Role,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const tokenFromRow = (r: Row<'api_tokens'>): ApiToken => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  kind: r.kind as TokenKind,
  tokenHash: r.token_hash,
  displayPrefix: r.display_prefix,
  workspaceId: r.workspace_id,
  role: r.role as Role | null,
  createdAt: Number(r.created_at),
  expiresAt: n(r.expires_at),
  lastUsedAt: n(r.last_used_at),
  revokedAt: n(r.revoked_at),
});

export const tokenToRow = (t: ApiToken): Row<'api_tokens'> => ({
  id: t.id,
  user_id: t.userId,
  name: t.name,
  kind: t.kind,
  token_hash: t.tokenHash,
  display_prefix: t.displayPrefix,
  workspace_id: t.workspaceId,
  role: t.role,
  created_at: t.createdAt,
  expires_at: t.expiresAt,
  last_used_at: t.lastUsedAt,
  revoked_at: t.revokedAt,
});

export const projectFromRow = (r: Row<'projects'>): Project => ({
  id: r.id,
  workspaceId: r.workspace_id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const repositoryFromRow = (r: Row<'repositories'>): Repository => ({
  id: r.id,
  workspaceId: r.workspace_id,
  projectId: r.project_id,
  name: r.name,
  url: r.url,
  defaultBranch: r.default_branch,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const auditFromRow = (r: Row<'audit_events'>): AuditEvent => ({
  id: Number(r.id),
  at: Number(r.at),
  workspaceId: r.workspace_id,
  userId: r.user_id,
  login: r.login,
  tokenId: r.token_id,
  action: r.action,
  method: r.method,
  path: r.path,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  outcome: r.outcome as AuditEvent['outcome'],
  statusCode: Number(r.status_code),
  requestId: r.request_id,
  ip: r.ip,
  detail: fromJson(r.detail),
});
