import type { FastifyRequest } from 'fastify';
import type { Permission } from '../../domain/access/permissions.ts';
import type { Principal } from '../../domain/access/principal.ts';
import type { OwnedResource } from '../../store/queries/accounts/workspaceOf.ts';

/**
 * What a route needs, declared in its `config.access` (the app refuses to start with an API route
 * that declares none):
 * - `public`: no token (health, the sign-in exchange);
 * - `authenticated`: any valid token (the caller's own account and tokens);
 * - `instance`: an instance administrator;
 * - `any`: the permission in some workspace; the handler narrows what it returns to the caller's
 *   readable workspaces (lists, the shared queue);
 * - `resource`: the permission in the workspace of the resource named by a path parameter
 *   (a run, a workflow, a ledger task…); a caller without any role there gets 404, as if it did not exist;
 * - `workspace`: the permission in the workspace the request names (body, query or path), else the
 *   token's own workspace, else the default one.
 */
export type AccessRule =
  | { kind: 'public'; action?: string }
  | { kind: 'authenticated'; action: string }
  | { kind: 'instance'; permission: Permission }
  | { kind: 'any'; permission: Permission }
  | { kind: 'resource'; permission: Permission; resource: OwnedResource; param: string }
  | { kind: 'workspace'; permission: Permission; from: WorkspaceOf };

type WorkspaceOf = (req: FastifyRequest) => string | undefined | null | Promise<string | undefined | null>;

export const access = {
  public: (action?: string): AccessRule => ({ kind: 'public', ...(action ? { action } : {}) }),
  /** any valid token (the caller's own things: `/me`, its tokens) */
  authenticated: (action: string): AccessRule => ({ kind: 'authenticated', action }),
  instance: (permission: Permission): AccessRule => ({ kind: 'instance', permission }),
  any: (permission: Permission): AccessRule => ({ kind: 'any', permission }),
  resource: (permission: Permission, resource: OwnedResource, param = 'id'): AccessRule => ({
    kind: 'resource',
    permission,
    resource,
    param,
  }),
  workspace: (permission: Permission, from: WorkspaceOf): AccessRule => ({
    kind: 'workspace',
    permission,
    from,
  }),
};

/** What the auth hooks learned about a request (read by handlers and the audit log). */
export interface RequestAuth {
  principal: Principal | null;
  /** the workspace the request acted in, once authorised */
  workspace: string | null;
  resourceType: string | null;
  resourceId: string | null;
  denial: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface FastifyRequest {
    batonAuth: RequestAuth;
  }
}

/** A field of the parsed body or query, when it is a string. */
export function fieldOf(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const v = (source as Record<string, unknown>)[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
