import { requiredRole, type Permission } from './permissions.ts';
import type { Principal } from './principal.ts';
import { roleAtLeast, type Role } from './roles.ts';

/** Where a permission is checked: one workspace, or anywhere (instance-wide resources). */
export type AccessScope = { workspace: string } | { anyWorkspace: true };

export type Decision =
  { allowed: true } | { allowed: false; reason: string; needed: Role | 'instance'; workspace?: string };

/** The role of `p` in `workspace` (instance administrators are admins everywhere). */
export function roleIn(p: Principal, workspace: string): Role | undefined {
  if (p.instanceAdmin) return 'admin';
  return p.roles.get(workspace);
}

/** The workspaces `p` may read (undefined: every workspace). */
export function readableWorkspaces(p: Principal): string[] | undefined {
  if (p.instanceAdmin) return undefined;
  return [...p.roles.keys()];
}

/** May `p` do `permission` in `scope`? Pure: the HTTP layer turns a denial into 403 (or 404). */
export function authorize(p: Principal, permission: Permission, scope: AccessScope): Decision {
  const needed = requiredRole(permission);
  if (needed === 'instance') {
    return p.instanceAdmin
      ? { allowed: true }
      : { allowed: false, needed, reason: `${permission} needs an instance administrator` };
  }
  if ('anyWorkspace' in scope) {
    if (p.instanceAdmin) return { allowed: true };
    for (const role of p.roles.values()) if (roleAtLeast(role, needed)) return { allowed: true };
    return { allowed: false, needed, reason: `${permission} needs the ${needed} role in a workspace` };
  }
  const role = roleIn(p, scope.workspace);
  if (role !== undefined && roleAtLeast(role, needed)) return { allowed: true };
  return {
    allowed: false,
    needed,
    workspace: scope.workspace,
    reason:
      role === undefined
        ? `no access to workspace "${scope.workspace}"`
        : `${permission} needs the ${needed} role in workspace "${scope.workspace}" (this token has ${role})`,
  };
}
