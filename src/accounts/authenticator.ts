import type { Principal } from '../domain/access/principal.ts';
import { weakerRole, type Role } from '../domain/access/roles.ts';
import { BatonError } from '../domain/errors.ts';
import type { AccountsStore } from './accountsStore.ts';
import { hashSecret } from './tokenSecret.ts';

export interface Authenticator {
  /** The principal behind `Authorization: Bearer <secret>`; throws `unauthenticated` with the reason. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  /** Forget cached principals (after a revocation, a role change): this process sees it at once. */
  invalidate(): void;
}

export interface AuthenticatorOptions {
  accounts: Pick<AccountsStore, 'getToken' | 'getUser' | 'listMembershipsOfUser' | 'touchToken'>;
  now?: () => number;
  /** how long a resolved token is reused without reading it again (other processes' revocations) */
  cacheMs?: number;
  /** `last_used_at` is written at most this often per token */
  touchEveryMs?: number;
}

const HINT =
  'send `Authorization: Bearer <token>`; create a token with `baton token create` or use BATON_ADMIN_TOKEN';

function unauthenticated(message: string, hint = HINT): BatonError {
  return new BatonError('unauthenticated', message, { field: 'authorization', hint });
}

/**
 * Bearer-token authentication: the secret's SHA-256 finds the token; revoked, expired and disabled
 * are refused with the reason. Resolved principals are cached for `cacheMs` (default 5 s).
 */
export function createAuthenticator(opts: AuthenticatorOptions): Authenticator {
  const now = opts.now ?? Date.now;
  const cacheMs = opts.cacheMs ?? 5_000;
  const touchEveryMs = opts.touchEveryMs ?? 60_000;
  const cache = new Map<string, { principal: Principal; until: number }>();
  const touched = new Map<string, number>();

  async function resolve(hash: string): Promise<{ principal: Principal; until: number }> {
    const t = now();
    const token = await opts.accounts.getToken({ hash });
    if (!token) throw unauthenticated('the bearer token is not known to this server');
    if (token.revokedAt !== null) throw unauthenticated(`token "${token.name}" was revoked`);
    if (token.expiresAt !== null && token.expiresAt <= t) {
      throw unauthenticated(`token "${token.name}" expired at ${new Date(token.expiresAt).toISOString()}`);
    }
    const user = await opts.accounts.getUser({ id: token.userId });
    if (!user || user.disabledAt !== null) throw unauthenticated('the user of this token is disabled');
    const roles = new Map<string, Role>();
    for (const m of await opts.accounts.listMembershipsOfUser(user.id)) {
      if (token.workspaceId !== null && m.workspaceId !== token.workspaceId) continue;
      roles.set(m.workspaceId, token.role === null ? m.role : weakerRole(m.role, token.role));
    }
    const principal: Principal = {
      userId: user.id,
      login: user.login,
      instanceAdmin: user.isAdmin && token.workspaceId === null && token.role === null,
      tokenId: token.id,
      tokenKind: token.kind,
      roles,
    };
    const until = Math.min(t + cacheMs, token.expiresAt ?? Number.POSITIVE_INFINITY);
    return { principal, until };
  }

  return {
    async authenticate(authorization) {
      if (authorization === undefined || authorization === '') {
        throw unauthenticated('this request needs an API token');
      }
      const m = /^Bearer[ ]+(\S{16,512})$/i.exec(authorization.trim());
      if (!m) throw unauthenticated('the Authorization header must be `Bearer <token>`');
      const hash = hashSecret(m[1]!);
      const t = now();
      let hit = cache.get(hash);
      if (!hit || hit.until <= t) {
        cache.delete(hash);
        hit = await resolve(hash);
        if (cache.size >= 10_000) cache.clear();
        cache.set(hash, hit);
      }
      const id = hit.principal.tokenId;
      if ((touched.get(id) ?? 0) + touchEveryMs <= t) {
        touched.set(id, t);
        if (touched.size > 10_000) touched.clear();
        await opts.accounts.touchToken(id, t);
      }
      return hit.principal;
    },
    invalidate() {
      cache.clear();
    },
  };
}
