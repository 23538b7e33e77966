import type { AccountsDb } from '../store/queries/accounts/accountsSchema.ts';
import { consumeSignInCode } from '../store/queries/accounts/consumeSignInCode.ts';
import { deleteMember } from '../store/queries/accounts/deleteMember.ts';
import { deleteProject } from '../store/queries/accounts/deleteProject.ts';
import { deleteRepository } from '../store/queries/accounts/deleteRepository.ts';
import { findRepositories } from '../store/queries/accounts/findRepositories.ts';
import { findRepositoriesByUrl } from '../store/queries/accounts/findRepositoriesByUrl.ts';
import { getProject } from '../store/queries/accounts/getProject.ts';
import { getRepository } from '../store/queries/accounts/getRepository.ts';
import { getToken } from '../store/queries/accounts/getToken.ts';
import { getUser } from '../store/queries/accounts/getUser.ts';
import { getWorkspace } from '../store/queries/accounts/getWorkspace.ts';
import { insertAuditEvent } from '../store/queries/accounts/insertAuditEvent.ts';
import { insertProject } from '../store/queries/accounts/insertProject.ts';
import { insertRepository } from '../store/queries/accounts/insertRepository.ts';
import { insertSignInCode } from '../store/queries/accounts/insertSignInCode.ts';
import { insertToken } from '../store/queries/accounts/insertToken.ts';
import { insertUser } from '../store/queries/accounts/insertUser.ts';
import { insertWorkspace } from '../store/queries/accounts/insertWorkspace.ts';
import { listAuditEvents } from '../store/queries/accounts/listAuditEvents.ts';
import { listMembers } from '../store/queries/accounts/listMembers.ts';
import { listMembershipsOfUser } from '../store/queries/accounts/listMembershipsOfUser.ts';
import { listProjects } from '../store/queries/accounts/listProjects.ts';
import { listRepositories } from '../store/queries/accounts/listRepositories.ts';
import { listTokens } from '../store/queries/accounts/listTokens.ts';
import { listUsers } from '../store/queries/accounts/listUsers.ts';
import { listWorkspaces } from '../store/queries/accounts/listWorkspaces.ts';
import { revokeSeedTokens } from '../store/queries/accounts/revokeSeedTokens.ts';
import { revokeToken } from '../store/queries/accounts/revokeToken.ts';
import { touchToken } from '../store/queries/accounts/touchToken.ts';
import { updateProject } from '../store/queries/accounts/updateProject.ts';
import { updateRepository } from '../store/queries/accounts/updateRepository.ts';
import { updateUser } from '../store/queries/accounts/updateUser.ts';
import { updateWorkspace } from '../store/queries/accounts/updateWorkspace.ts';
import { upsertMember } from '../store/queries/accounts/upsertMember.ts';
import { workspaceOf } from '../store/queries/accounts/workspaceOf.ts';
import { deleteRole } from '../store/queries/roles/deleteRole.ts';
import { getRole } from '../store/queries/roles/getRole.ts';
import { listRoles } from '../store/queries/roles/listRoles.ts';
import { setRoleOnboarding } from '../store/queries/roles/setRoleOnboarding.ts';
import { upsertRole } from '../store/queries/roles/upsertRole.ts';

type Bound<F> = F extends (db: AccountsDb, ...args: infer A) => infer R ? (...args: A) => R : never;

const OPS = {
  insertWorkspace,
  getWorkspace,
  listWorkspaces,
  updateWorkspace,
  insertUser,
  getUser,
  listUsers,
  updateUser,
  upsertMember,
  deleteMember,
  listMembers,
  listMembershipsOfUser,
  insertToken,
  getToken,
  listTokens,
  revokeToken,
  touchToken,
  revokeSeedTokens,
  insertSignInCode,
  consumeSignInCode,
  insertProject,
  getProject,
  listProjects,
  updateProject,
  deleteProject,
  insertRepository,
  getRepository,
  findRepositories,
  findRepositoriesByUrl,
  listRepositories,
  updateRepository,
  deleteRepository,
  insertAuditEvent,
  listAuditEvents,
  workspaceOf,
  upsertRole,
  getRole,
  listRoles,
  deleteRole,
  setRoleOnboarding,
};

/** Accounts and access: one named operation per method, each bound to a connection. */
export type AccountsStore = { [K in keyof typeof OPS]: Bound<(typeof OPS)[K]> } & {
  /**
   * `fn` in one transaction on PostgreSQL. On SQLite each statement is atomic on its own and `fn`
   * runs without a transaction: a transaction on this second connection would hold the file's write
   * lock across awaits while the engine's connection, in the same process, blocks the event loop
   * waiting for it. Multi-statement operations are written to be safe when interrupted.
   */
  transaction<T>(fn: (tx: AccountsStore) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export function bindAccountsStore(
  db: AccountsDb,
  opts: { retry: <T>(fn: () => Promise<T>) => Promise<T>; close(): Promise<void>; transactions: boolean },
  inTransaction = false,
): AccountsStore {
  const bound = Object.fromEntries(
    Object.entries(OPS).map(([name, fn]) => [
      name,
      (...args: unknown[]) =>
        opts.retry(() => (fn as (db: AccountsDb, ...a: unknown[]) => Promise<unknown>)(db, ...args)),
    ]),
  ) as unknown as AccountsStore;
  return Object.assign(bound, {
    transaction: <T>(fn: (tx: AccountsStore) => Promise<T>): Promise<T> =>
      inTransaction || !opts.transactions
        ? fn(bound)
        : db.transaction().execute((trx) => fn(bindAccountsStore(trx, { ...opts, retry: (f) => f() }, true))),
    close: () => opts.close(),
  });
}
