import type { Role } from './roles.ts';

/**
 * Everything a caller may be allowed to do, and the least role that allows it. `instance` means an
 * instance administrator (a user flagged admin: the `BATON_ADMIN_TOKEN` user, the sign-in link's user),
 * for what spans every workspace: users, workspaces, the shared queue's settings.
 */
export const PERMISSIONS = {
  // workspace-scoped reads
  'workspace.read': 'viewer',
  'runs.read': 'viewer',
  'workflows.read': 'viewer',
  'events.read': 'viewer',
  'approvals.read': 'viewer',
  'ledger.read': 'viewer',
  'projects.read': 'viewer',
  'repositories.read': 'viewer',
  'members.read': 'viewer',
  'roles.read': 'viewer',
  'issues.read': 'viewer',
  // doing the work
  'runs.trigger': 'member',
  'runs.control': 'member',
  'runs.retry': 'member',
  'approvals.decide': 'member',
  'events.create': 'member',
  'ledger.write': 'member',
  'issues.write': 'member',
  'workflows.validate': 'viewer',
  // shaping the workspace
  'runs.advance': 'maintainer',
  'workflows.write': 'maintainer',
  'events.process': 'maintainer',
  'projects.write': 'maintainer',
  'repositories.write': 'maintainer',
  'roles.write': 'maintainer',
  // governing it
  'members.write': 'admin',
  'audit.read': 'admin',
  'workspace.write': 'admin',
  // instance-wide
  'queue.read': 'viewer',
  'queue.write': 'instance',
  'users.read': 'instance',
  'users.write': 'instance',
  'workspaces.create': 'instance',
  'tokens.manage_any': 'instance',
} as const satisfies Record<string, Role | 'instance'>;

export type Permission = keyof typeof PERMISSIONS;

export function requiredRole(p: Permission): Role | 'instance' {
  return PERMISSIONS[p];
}
