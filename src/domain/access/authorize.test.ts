import { describe, expect, it } from 'vitest';
import { authorize, readableWorkspaces } from './authorize.ts';
import { PERMISSIONS, type Permission } from './permissions.ts';
import type { Principal } from './principal.ts';
import { ROLES, roleAtLeast, weakerRole, type Role } from './roles.ts';

const principal = (roles: Record<string, Role>, instanceAdmin = false): Principal => ({
  userId: 'u',
  login: 'u',
  instanceAdmin,
  tokenId: 't',
  tokenKind: 'personal',
  roles: new Map(Object.entries(roles)),
});

describe('authorize', () => {
  it('grants each permission from its least role upwards, in that workspace only', () => {
    for (const [perm, needed] of Object.entries(PERMISSIONS) as Array<[Permission, Role | 'instance']>) {
      for (const role of ROLES) {
        const p = principal({ a: role });
        const inA = authorize(p, perm, { workspace: 'a' }).allowed;
        expect(inA, `${perm} as ${role}`).toBe(needed !== 'instance' && roleAtLeast(role, needed));
        expect(authorize(p, perm, { workspace: 'b' }).allowed, `${perm} in another workspace`).toBe(false);
      }
      expect(authorize(principal({}, true), perm, { workspace: 'zz' }).allowed).toBe(true);
    }
  });

  it('explains a denial', () => {
    const d = authorize(principal({ a: 'viewer' }), 'runs.control', { workspace: 'a' });
    expect(d).toMatchObject({ allowed: false, needed: 'member' });
    if (!d.allowed) expect(d.reason).toContain('this token has viewer');
  });

  it('checks instance-wide permissions against any workspace', () => {
    expect(authorize(principal({ a: 'viewer' }), 'queue.read', { anyWorkspace: true }).allowed).toBe(true);
    expect(authorize(principal({}), 'queue.read', { anyWorkspace: true }).allowed).toBe(false);
    expect(authorize(principal({ a: 'admin' }), 'queue.write', { anyWorkspace: true }).allowed).toBe(false);
  });

  it('lists readable workspaces', () => {
    expect(readableWorkspaces(principal({ a: 'viewer', b: 'admin' }))).toEqual(['a', 'b']);
    expect(readableWorkspaces(principal({}, true))).toBeUndefined();
  });

  it('orders roles', () => {
    expect(weakerRole('admin', 'member')).toBe('member');
    expect(roleAtLeast('maintainer', 'member')).toBe(true);
    expect(roleAtLeast('viewer', 'member')).toBe(false);
  });
});
