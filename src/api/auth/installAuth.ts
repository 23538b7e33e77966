import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountsStore } from '../../accounts/accountsStore.ts';
import type { Authenticator } from '../../accounts/authenticator.ts';
import type { AuditOutcome } from '../../accounts/accountTypes.ts';
import { authorize, roleIn } from '../../domain/access/authorize.ts';
import { DEFAULT_WORKSPACE } from '../../domain/access/defaultWorkspace.ts';
import { BatonError } from '../../domain/errors.ts';
import type { Logger } from '../../engine/engineDeps.ts';
import type { AccessRule, RequestAuth } from './accessRule.ts';

export interface AuthDeps {
  accounts: AccountsStore;
  authenticator: Authenticator;
  logger: Logger;
  now: () => number;
}

/** Paths served without a token (besides routes declaring `access.public()`): probes, docs, metrics. */
const OPEN_PATHS = [
  /^\/healthz$/,
  /^\/readyz$/,
  /^\/metrics$/,
  /^\/api\/v1\/docs(\/|$)/,
  /^\/api\/v1\/openapi\.json$/,
];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const RESOURCE_LABEL = {
  run: 'run',
  workflow: 'workflow',
  task: 'task',
  event: 'event',
  project: 'project',
  repository: 'repository',
  issue: 'issue',
} as const;

/**
 * Authentication, authorisation and the audit log, as app-wide hooks driven by each route's
 * `config.access`: `onRoute` refuses a route that declares no rule, `onRequest` authenticates the
 * bearer token, `preHandler` (after validation) checks the permission in the right workspace, and
 * `onSend` writes one audit event for every mutating call (allowed or denied) before the reply leaves.
 */
export function installAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.decorateRequest('batonAuth', null as unknown as RequestAuth);

  app.addHook('onRoute', (route) => {
    const path = route.url;
    if (route.config?.access || OPEN_PATHS.some((re) => re.test(path))) return;
    if (path.startsWith('/api/') || path.startsWith('/agents/')) {
      throw new Error(`route ${String(route.method)} ${path} declares no config.access rule`);
    }
  });

  app.addHook('onRequest', async (req) => {
    req.batonAuth = { principal: null, workspace: null, resourceType: null, resourceId: null, denial: null };
    const rule = req.routeOptions.config.access;
    if (!rule || rule.kind === 'public') return;
    req.batonAuth.principal = await deps.authenticator.authenticate(req.headers.authorization);
  });

  app.addHook('preHandler', async (req) => {
    const rule = req.routeOptions.config.access;
    if (!rule || rule.kind === 'public' || rule.kind === 'authenticated') return;
    await authorizeRequest(req, rule, deps);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const rule = req.routeOptions.config.access;
    if (!rule || SAFE_METHODS.has(req.method)) return payload;
    const auth = req.batonAuth;
    // an anonymous or unknown token changed nothing and names no one: pino logs it, the audit log does not
    if (!auth?.principal && rule.kind !== 'public') return payload;
    await writeAudit(req, reply, rule, deps);
    return payload;
  });
}

async function authorizeRequest(
  req: FastifyRequest,
  rule: Exclude<AccessRule, { kind: 'public' | 'authenticated' }>,
  deps: AuthDeps,
) {
  const auth = req.batonAuth;
  const p = auth.principal!;
  const deny = (message: string, hint?: string): never => {
    auth.denial = message;
    throw new BatonError('forbidden', message, {
      field: 'authorization',
      hint:
        hint ??
        'ask an admin of the workspace for a role that allows it, or use a token without that restriction',
    });
  };
  switch (rule.kind) {
    case 'instance':
    case 'any': {
      const d = authorize(p, rule.permission, { anyWorkspace: true });
      if (!d.allowed) deny(d.reason);
      return;
    }
    case 'resource': {
      const raw = (req.params as Record<string, unknown>)[rule.param];
      const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : '';
      auth.resourceType = rule.resource;
      auth.resourceId = id;
      const found = await deps.accounts.workspaceOf(rule.resource, id);
      // not there (or an ambiguous prefix): the handler answers with its own 404 / 400
      if (found === undefined) {
        if (authorize(p, rule.permission, { anyWorkspace: true }).allowed) return;
        deny(`${rule.permission} needs a role in a workspace`);
      }
      const workspace = found ?? DEFAULT_WORKSPACE;
      auth.workspace = workspace;
      if (roleIn(p, workspace) === undefined) {
        auth.denial = `no access to workspace "${workspace}"`;
        throw new BatonError('not_found', `${RESOURCE_LABEL[rule.resource]} "${id}" does not exist`, {
          field: rule.param,
        });
      }
      const d = authorize(p, rule.permission, { workspace });
      if (!d.allowed) deny(d.reason);
      return;
    }
    case 'workspace': {
      const named = (await rule.from(req)) ?? undefined;
      const workspace = named ?? defaultWorkspaceOf(p.roles, p.instanceAdmin);
      auth.workspace = workspace;
      const d = authorize(p, rule.permission, { workspace });
      if (!d.allowed) deny(d.reason);
      return;
    }
  }
}

/** The workspace of a request that names none: the token's only workspace, else the default one. */
function defaultWorkspaceOf(roles: ReadonlyMap<string, unknown>, instanceAdmin: boolean): string {
  if (!instanceAdmin && roles.size === 1 && !roles.has(DEFAULT_WORKSPACE)) return [...roles.keys()][0]!;
  return DEFAULT_WORKSPACE;
}

async function writeAudit(req: FastifyRequest, reply: FastifyReply, rule: AccessRule, deps: AuthDeps) {
  const auth = req.batonAuth;
  const status = reply.statusCode;
  const outcome: AuditOutcome =
    auth?.denial || status === 401 || status === 403 ? 'denied' : status < 400 ? 'succeeded' : 'failed';
  const params = req.params as Record<string, unknown> | undefined;
  try {
    await deps.accounts.insertAuditEvent({
      at: deps.now(),
      workspaceId: auth?.workspace ?? null,
      userId: auth?.principal?.userId ?? null,
      login: auth?.principal?.login ?? null,
      tokenId: auth?.principal?.tokenId ?? null,
      action:
        rule.kind === 'public'
          ? (rule.action ?? 'public')
          : rule.kind === 'authenticated'
            ? rule.action
            : rule.permission,
      method: req.method,
      path: req.url.split('?')[0] ?? req.url,
      resourceType: auth?.resourceType ?? null,
      resourceId:
        auth?.resourceId ??
        (params && typeof params['id'] === 'string' ? params['id'] : null) ??
        (params && typeof params['name'] === 'string' ? params['name'] : null),
      outcome,
      statusCode: status,
      requestId: req.id,
      ip: req.ip,
      detail: {
        route: req.routeOptions.url ?? null,
        ...(auth?.denial ? { reason: auth.denial } : {}),
      },
    });
  } catch (e) {
    deps.logger.error({ err: (e as Error).message, request_id: req.id }, 'audit event not written');
  }
}
