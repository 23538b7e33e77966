import type { TokenKind } from '../domain/access/principal.ts';
import type { Role } from '../domain/access/roles.ts';

export interface Workspace {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface User {
  id: string;
  login: string;
  name: string | null;
  email: string | null;
  isAdmin: boolean;
  disabledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface Member {
  workspaceId: string;
  userId: string;
  role: Role;
  createdAt: number;
  updatedAt: number;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  kind: TokenKind;
  /** sha256 of the secret (hex) */
  tokenHash: string;
  /** the start of the secret, to tell tokens apart in a list */
  displayPrefix: string;
  /** restricted to one workspace (null: every workspace of the user) */
  workspaceId: string | null;
  /** a role cap (null: the user's role) */
  role: Role | null;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface Project {
  id: string;
  workspaceId: string;
  slug: string;
  name: string;
  description: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Repository {
  id: string;
  workspaceId: string;
  projectId: string | null;
  /** `owner/name` */
  name: string;
  url: string;
  defaultBranch: string;
  createdAt: number;
  updatedAt: number;
}

export type AuditOutcome = 'succeeded' | 'denied' | 'failed';

export interface AuditEvent {
  id: number;
  at: number;
  workspaceId: string | null;
  userId: string | null;
  login: string | null;
  tokenId: string | null;
  /** the permission exercised, e.g. `runs.control` */
  action: string;
  method: string;
  path: string;
  resourceType: string | null;
  resourceId: string | null;
  outcome: AuditOutcome;
  statusCode: number;
  requestId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'>;

export interface AuditFilter {
  workspaceIds?: readonly string[];
  userId?: string;
  action?: string;
  resourceId?: string;
  since?: number;
  /** keyset: ids below this (newest first) */
  beforeId?: number;
  limit: number;
}

/** Keyset page request on (createdAt, id), oldest first. */
export interface PageAfter {
  after?: { createdAt: number; id: string };
  limit: number;
}
