import { randomBytes, verify } from 'node:crypto';
import type { FakeApp, FakeInstallation, FakeToken, GithubState, Principal } from './state.ts';

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; message: string };

export interface Credential {
  /** 'basic' carries a user name (`x-access-token` for app tokens) */
  scheme: 'token' | 'bearer' | 'basic';
  secret: string;
  user?: string;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A GitHub-looking token: `ghp_…` (personal) or `ghs_…` (installation). */
export function newToken(prefix: 'ghp' | 'ghs'): string {
  const bytes = randomBytes(36);
  return `${prefix}_${[...bytes].map((b) => BASE62[b % 62]).join('')}`;
}

export function parseAuthorization(header: string | undefined): Credential | undefined {
  if (!header) return undefined;
  const m = /^(\w+)\s+(.+)$/.exec(header.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const scheme = m[1].toLowerCase();
  if (scheme === 'token' || scheme === 'bearer') return { scheme, secret: m[2].trim() };
  if (scheme === 'basic') {
    const decoded = Buffer.from(m[2], 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i < 0 ? undefined : { scheme, user: decoded.slice(0, i), secret: decoded.slice(i + 1) };
  }
  return undefined;
}

const looksLikeJwt = (t: string): boolean => t.split('.').length === 3 && t.startsWith('eyJ');

const JWT_UNDECODABLE = 'A JSON web token could not be decoded';

/** GitHub's checks on an app JWT (RS256; iss = app id or client id; a short, current exp). */
export function verifyAppJwt(
  s: GithubState,
  jwt: string,
  nowSec = Math.floor(Date.now() / 1000),
): { app: FakeApp } | { error: string } {
  const [h = '', p = '', sig = ''] = jwt.split('.');
  let header: { alg?: unknown };
  let payload: { iss?: unknown; iat?: unknown; exp?: unknown };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof payload;
  } catch {
    return { error: JWT_UNDECODABLE };
  }
  if (header.alg !== 'RS256') return { error: JWT_UNDECODABLE };
  const iss = typeof payload.iss === 'number' || typeof payload.iss === 'string' ? String(payload.iss) : '';
  const app = [...s.apps.values()].find((a) => String(a.id) === iss || a.clientId === iss);
  if (!app?.publicKey) return { error: JWT_UNDECODABLE };
  const good = verify('sha256', Buffer.from(`${h}.${p}`), app.publicKey, Buffer.from(sig, 'base64url'));
  if (!good) return { error: JWT_UNDECODABLE };
  const skew = 60;
  if (typeof payload.iat !== 'number' || !Number.isInteger(payload.iat) || payload.iat > nowSec + skew)
    return {
      error:
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    };
  if (typeof payload.exp !== 'number' || payload.exp <= nowSec)
    return {
      error:
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    };
  if (payload.exp > nowSec + 600 + skew)
    return { error: "'Expiration time' claim ('exp') is too far in the future" };
  return { app };
}

/** Who is calling: anonymous, a personal token, an installation token, or an app JWT. */
export function authenticate(s: GithubState, header: string | undefined, nowMs = Date.now()): AuthOutcome {
  const cred = parseAuthorization(header);
  if (!header) return { ok: true, principal: { kind: 'anonymous' } };
  if (!cred) return { ok: false, message: 'Bad credentials' };
  if (cred.scheme !== 'basic' && looksLikeJwt(cred.secret)) {
    const v = verifyAppJwt(s, cred.secret, Math.floor(nowMs / 1000));
    return 'error' in v
      ? { ok: false, message: v.error }
      : { ok: true, principal: { kind: 'app', app: v.app } };
  }
  const t = lookupToken(s, cred.secret, nowMs);
  if (!t) return { ok: false, message: 'Bad credentials' };
  return {
    ok: true,
    principal: t.installation
      ? { kind: 'installation', user: t.user, token: t, installation: t.installation }
      : { kind: 'user', user: t.user, token: t },
  };
}

export function lookupToken(s: GithubState, secret: string, nowMs = Date.now()): FakeToken | undefined {
  const t = s.tokens.get(secret);
  if (!t || (t.expiresAt !== undefined && t.expiresAt <= nowMs)) return undefined;
  return t;
}

export function issueInstallationToken(
  s: GithubState,
  inst: FakeInstallation,
  narrow: { repositories?: string[]; permissions?: Record<string, string> } = {},
  nowMs = Date.now(),
): FakeToken {
  const token: FakeToken = {
    token: newToken('ghs'),
    user: inst.app.bot,
    installation: inst,
    expiresAt: nowMs + inst.app.tokenTtlSec * 1000,
    ...(narrow.repositories ? { repositories: narrow.repositories } : {}),
    permissions: narrow.permissions ?? inst.permissions,
  };
  s.tokens.set(token.token, token);
  return token;
}
