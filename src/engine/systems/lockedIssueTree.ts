import { BatonError } from '../../domain/errors.ts';
import type { IssueRecord } from '../../domain/issues/issueRecord.ts';
import { buildIssueTree, issueIn, type IssueTree } from '../../domain/issues/issueTree.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev, type EventType } from '../events.ts';
import type { StoreTx } from '../ports/store.ts';

/** An issue after a change, and the issues the change reopened (a defect reopens its path). */
export interface IssueChange {
  issue: IssueRecord;
  reopened: IssueRecord[];
}

export const issueNotFound = (id: string): BatonError =>
  new BatonError('not_found', `issue "${id}" does not exist`, { field: 'id' });

/**
 * Reads an issue's whole tree under the tree's lock (a PostgreSQL advisory lock; SQLite holds its
 * write lock already): every rule of the tree is checked and applied on what this transaction sees.
 */
export async function lockedIssueTree(
  tx: StoreTx,
  id: string,
): Promise<{ tree: IssueTree; issue: IssueRecord }> {
  const found = await tx.getIssue(id);
  if (!found) throw issueNotFound(id);
  await tx.lock(`issue-tree:${found.rootId}`);
  const tree = buildIssueTree(await tx.listIssueTree(found.rootId));
  return { tree, issue: issueIn(tree, id) };
}

/** One outbox event per issue (on the tree's run, when it has one). */
export async function emitIssueEvents(
  deps: EngineDeps,
  tx: StoreTx,
  type: EventType,
  issues: readonly IssueRecord[],
  extra: Record<string, unknown> = {},
): Promise<void> {
  const payload = (i: IssueRecord) => ({
    issue: i.id,
    number: i.number,
    kind: i.kind,
    title: i.title,
    status: i.status,
    parent: i.parentId,
    root: i.rootId,
    workspace: i.workspaceId,
    ...extra,
  });
  await tx.insertEvents(
    issues.map((i) => ev(type, i.runId, null, payload(i))),
    deps.clock.now(),
  );
}

/** Reopens `path` (done issues, as `reopenedPath` lists them): they go back to `open`. */
export async function reopenIssues(
  deps: EngineDeps,
  tx: StoreTx,
  path: readonly IssueRecord[],
  cause: string,
): Promise<IssueRecord[]> {
  const now = deps.clock.now();
  const reopened = path.map((i) => ({ ...i, status: 'open' as const, updatedAt: now }));
  for (const i of reopened) await tx.updateIssue(i.id, { status: 'open', updatedAt: now });
  await emitIssueEvents(deps, tx, 'issue.reopened', reopened, { cause });
  return reopened;
}
