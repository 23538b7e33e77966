import { z } from 'zod';
import type {
  ApiToken,
  AuditEvent,
  Member,
  Project,
  Repository,
  User,
  Workspace,
} from '../../accounts/accountTypes.ts';
import { ROLES } from '../../domain/access/roles.ts';
import { isoTime, jsonObject, nullableTime, toIso, toIsoOrNull } from './common.ts';

export const roleSchema = z.enum(ROLES);
export const workspaceIdSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(
    /^[a-z0-9][a-z0-9-]*$/,
    'must be lowercase letters, digits and dashes, starting with a letter or digit',
  )
  .describe('the workspace id (its URL slug)');
export const loginSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, dots, dashes and underscores');
export const slugSchema = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, dots, dashes and underscores');
export const uuidParam = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a UUID');
const label = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  created_at: isoTime,
  updated_at: isoTime,
});
export const workspaceOut = (w: Workspace): z.infer<typeof workspaceSchema> => ({
  id: w.id,
  name: w.name,
  created_at: toIso(w.createdAt),
  updated_at: toIso(w.updatedAt),
});

export const userSchema = z.object({
  id: z.string(),
  login: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  admin: z.boolean().describe('an instance administrator'),
  disabled_at: nullableTime,
  created_at: isoTime,
});
export const userOut = (u: User): z.infer<typeof userSchema> => ({
  id: u.id,
  login: u.login,
  name: u.name,
  email: u.email,
  admin: u.isAdmin,
  disabled_at: toIsoOrNull(u.disabledAt),
  created_at: toIso(u.createdAt),
});
export const newUserBody = z
  .object({
    login: loginSchema,
    name: label.optional(),
    email: z.email().max(200).optional(),
    admin: z.boolean().default(false),
  })
  .strict();
export const patchUserBody = z
  .object({
    name: label.nullable().optional(),
    email: z.email().max(200).nullable().optional(),
    admin: z.boolean().optional(),
    disabled: z.boolean().optional().describe("a disabled user's tokens stop working"),
  })
  .strict();

export const memberSchema = z.object({
  workspace: z.string(),
  user: userSchema,
  role: roleSchema,
  created_at: isoTime,
  updated_at: isoTime,
});
export const memberOut = (m: Member, u: User): z.infer<typeof memberSchema> => ({
  workspace: m.workspaceId,
  user: userOut(u),
  role: m.role,
  created_at: toIso(m.createdAt),
  updated_at: toIso(m.updatedAt),
});

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  user: z.string().describe('the user id'),
  kind: z.enum(['personal', 'session', 'seed']),
  prefix: z.string().describe('the start of the secret'),
  workspace: z.string().nullable().describe("restricted to this workspace (null: all of the user's)"),
  role: roleSchema.nullable().describe("a role cap (null: the user's role)"),
  created_at: isoTime,
  expires_at: nullableTime,
  last_used_at: nullableTime,
  revoked_at: nullableTime,
});
export const tokenOut = (t: ApiToken): z.infer<typeof tokenSchema> => ({
  id: t.id,
  name: t.name,
  user: t.userId,
  kind: t.kind,
  prefix: t.displayPrefix,
  workspace: t.workspaceId,
  role: t.role,
  created_at: toIso(t.createdAt),
  expires_at: toIsoOrNull(t.expiresAt),
  last_used_at: toIsoOrNull(t.lastUsedAt),
  revoked_at: toIsoOrNull(t.revokedAt),
});
export const newTokenBody = z
  .object({
    name: label,
    expires_in_days: z
      .number()
      .int()
      .min(1)
      .max(366)
      .nullable()
      .default(90)
      .describe('days until it expires (default 90; null: never)'),
    workspace: workspaceIdSchema.optional().describe('restrict the token to one workspace'),
    role: roleSchema.optional().describe("cap the token's role below the user's"),
    user: loginSchema.optional().describe('instance administrators: create it for another user'),
  })
  .strict();

export const projectSchema = z.object({
  id: z.string(),
  workspace: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  created_at: isoTime,
  updated_at: isoTime,
});
export const projectOut = (p: Project): z.infer<typeof projectSchema> => ({
  id: p.id,
  workspace: p.workspaceId,
  slug: p.slug,
  name: p.name,
  description: p.description,
  created_at: toIso(p.createdAt),
  updated_at: toIso(p.updatedAt),
});

export const repositorySchema = z.object({
  id: z.string(),
  workspace: z.string(),
  project_id: z.string().nullable(),
  name: z.string().describe('owner/name'),
  url: z.string(),
  default_branch: z.string(),
  created_at: isoTime,
  updated_at: isoTime,
});
export const repositoryOut = (r: Repository): z.infer<typeof repositorySchema> => ({
  id: r.id,
  workspace: r.workspaceId,
  project_id: r.projectId,
  name: r.name,
  url: r.url,
  default_branch: r.defaultBranch,
  created_at: toIso(r.createdAt),
  updated_at: toIso(r.updatedAt),
});
export const repoNameSchema = z
  .string()
  .min(3)
  .max(200)
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name');
export const repoUrlSchema = z
  .string()
  .max(500)
  .regex(
    /^(https?:\/\/|ssh:\/\/|git@|file:\/\/|\/)\S+$/,
    'must be an https, ssh, git@ or file URL (or an absolute path)',
  );
export const branchSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._/-]+$/, 'must be letters, digits, dots, dashes, underscores and slashes')
  .refine((b) => !/^\/|\/$|\/\/|\.\.|\.lock$|\.$/.test(b), 'must be a valid git branch name');

export const auditSchema = z.object({
  id: z.number().int(),
  at: isoTime,
  workspace: z.string().nullable(),
  user_id: z.string().nullable(),
  login: z.string().nullable(),
  token_id: z.string().nullable(),
  action: z.string(),
  method: z.string(),
  path: z.string(),
  resource_type: z.string().nullable(),
  resource_id: z.string().nullable(),
  outcome: z.enum(['succeeded', 'denied', 'failed']),
  status: z.number().int(),
  request_id: z.string().nullable(),
  ip: z.string().nullable(),
  detail: jsonObject.nullable(),
});
export const auditOut = (a: AuditEvent): z.infer<typeof auditSchema> => ({
  id: a.id,
  at: toIso(a.at),
  workspace: a.workspaceId,
  user_id: a.userId,
  login: a.login,
  token_id: a.tokenId,
  action: a.action,
  method: a.method,
  path: a.path,
  resource_type: a.resourceType,
  resource_id: a.resourceId,
  outcome: a.outcome,
  status: a.statusCode,
  request_id: a.requestId,
  ip: a.ip,
  detail: a.detail,
});
