import type { RestCall } from '../http.ts';
import type { FakeApp, FakeUser } from '../state.ts';

/** The user behind a (write) call: a token's user or an installation's bot. */
export function actor(c: RestCall): FakeUser {
  const p = c.principal;
  if (p.kind === 'user' || p.kind === 'installation') return p.user;
  throw new Error(`no user behind a ${p.kind} call`);
}

/** The app behind an installation-token call. */
export const viaApp = (c: RestCall): FakeApp | null =>
  c.principal.kind === 'installation' ? c.principal.installation.app : null;

export const num = (v: string | undefined): number => Number(v ?? NaN);
