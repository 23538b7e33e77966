import { BatonError } from '../../domain/errors.ts';
import { issueBranchName } from '../../domain/issues/branchPlan.ts';
import { describeIssue } from '../../domain/issues/canComplete.ts';
import { nestingError, type IssueKind } from '../../domain/issues/issueKind.ts';
import type { IssuePatch, IssueRecord } from '../../domain/issues/issueRecord.ts';
import { childrenOf, type IssueTree } from '../../domain/issues/issueTree.ts';
import { reopenedPath } from '../../domain/issues/reopenedPath.ts';
import { reorderError } from '../../domain/issues/reorderError.ts';
import type { EngineDeps } from '../engineDeps.ts';
import type { StoreTx } from '../ports/store.ts';
import {
  emitIssueEvents,
  issueNotFound,
  lockedIssueTree,
  reopenIssues,
  type IssueChange,
} from './lockedIssueTree.ts';

export interface NewIssue {
  workspaceId: string;
  kind: IssueKind;
  title: string;
  body?: string;
  /** file it under this issue (same workspace; the tree's run is inherited) */
  parentId?: string | null;
  /** a root's owning run (same workspace) */
  runId?: string | null;
  createdBy?: string | null;
  /** the GitHub issue it comes from (a defect filed on GitHub): `owner/name` and number */
  github?: { repository: string; number: number };
}

/**
 * Creates an issue, a root or a child appended after its siblings. Work added under a done issue
 * must be a defect: filing one reopens that issue and its done ancestors (its merge waits for the
 * defect); anything else under a done issue is refused.
 */
export async function createIssue(deps: EngineDeps, tx: StoreTx, req: NewIssue): Promise<IssueChange> {
  const title = req.title.trim();
  if (!title) throw new BatonError('invalid_input', 'an issue needs a title', { field: 'title' });
  let parent: IssueRecord | undefined;
  let tree: IssueTree | undefined;
  let runId = req.runId ?? null;
  if (req.parentId) {
    ({ tree, issue: parent } = await lockedIssueTree(tx, req.parentId));
    if (parent.workspaceId !== req.workspaceId) throw issueNotFound(req.parentId);
    const nesting = nestingError(parent.kind, req.kind);
    if (nesting) throw new BatonError('invalid_input', nesting, { field: 'kind' });
    if (runId !== null && runId !== parent.runId) {
      throw new BatonError(
        'invalid_input',
        `a child belongs to its parent's run (${parent.runId ?? 'none'})`,
        {
          field: 'run_id',
          hint: 'leave run_id out: a child belongs to the run of its tree',
        },
      );
    }
    runId = parent.runId;
    if (parent.status === 'done' && req.kind !== 'defect') {
      throw new BatonError('invalid_state', `issue ${describeIssue(parent)} is done`, {
        field: 'parent_id',
        hint: 'file a defect under it (that reopens it), or reopen it first',
      });
    }
  } else if (runId !== null) {
    const run = await tx.getRun(runId);
    if (!run || run.workspaceId !== req.workspaceId) {
      throw new BatonError('not_found', `run ${runId} does not exist`, { field: 'run_id' });
    }
  }
  await tx.lock(`issue-number:${req.workspaceId}`);
  const number = await tx.nextIssueNumber(req.workspaceId);
  const now = deps.clock.now();
  const id = deps.newId();
  const siblings = parent && tree ? childrenOf(tree, parent.id) : [];
  const issue: IssueRecord = {
    id,
    workspaceId: req.workspaceId,
    runId,
    rootId: parent?.rootId ?? id,
    parentId: parent?.id ?? null,
    position: parent ? Math.max(-1, ...siblings.map((s) => s.position)) + 1 : number,
    number,
    kind: req.kind,
    title,
    body: req.body ?? '',
    status: 'open',
    branch: issueBranchName({ kind: req.kind, number, title }),
    prNumber: null,
    prUrl: null,
    githubIssueNumber: req.github?.number ?? null,
    githubRepository: req.github?.repository ?? null,
    createdBy: req.createdBy ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await tx.insertIssue(issue);
  await emitIssueEvents(deps, tx, 'issue.created', [issue], { by: issue.createdBy });
  const path = parent && tree && req.kind === 'defect' ? reopenedPath(tree, parent.id) : [];
  const reopened = path.length ? await reopenIssues(deps, tx, path, `defect #${number}`) : [];
  return { issue, reopened };
}

/** Files a defect under an issue: it reopens that issue and its done ancestors. */
export async function fileDefect(
  deps: EngineDeps,
  tx: StoreTx,
  parentId: string,
  d: Pick<NewIssue, 'title' | 'body' | 'createdBy' | 'github'>,
): Promise<IssueChange> {
  const parent = await tx.getIssue(parentId);
  if (!parent) throw issueNotFound(parentId);
  return createIssue(deps, tx, { ...d, kind: 'defect', parentId, workspaceId: parent.workspaceId });
}

/** Puts an issue's children in a new order (a permutation of them); returns them in that order. */
export async function reorderChildren(
  deps: EngineDeps,
  tx: StoreTx,
  id: string,
  ids: readonly string[],
  by: string,
): Promise<IssueRecord[]> {
  const { tree, issue } = await lockedIssueTree(tx, id);
  const children = childrenOf(tree, id);
  const invalid = reorderError(
    children.map((c) => c.id),
    ids,
  );
  if (invalid) {
    throw new BatonError('invalid_input', invalid, {
      field: 'ids',
      hint: `list every child of issue #${issue.number} exactly once`,
    });
  }
  const now = deps.clock.now();
  await tx.setIssuePositions(id, ids, now);
  await emitIssueEvents(deps, tx, 'issue.reordered', [issue], { by, order: ids });
  const byId = new Map(children.map((c) => [c.id, c]));
  return ids.map((cid, position) => ({ ...byId.get(cid)!, position, updatedAt: now }));
}

/** Records the forge's references of an issue (its pull request, its GitHub issue). */
export async function setIssueForgeRefs(
  deps: EngineDeps,
  tx: StoreTx,
  id: string,
  refs: Pick<IssuePatch, 'prNumber' | 'prUrl' | 'githubIssueNumber' | 'githubRepository'>,
): Promise<IssueRecord> {
  const { issue } = await lockedIssueTree(tx, id);
  const patch: IssuePatch = { ...refs, updatedAt: deps.clock.now() };
  await tx.updateIssue(id, patch);
  const updated = { ...issue, ...patch };
  await emitIssueEvents(deps, tx, 'issue.updated', [updated], { by: 'forge' });
  return updated;
}

/** A defect filed on GitHub under the GitHub issue of a Baton issue (`Part of #<parent>`). */
export interface GithubDefect {
  /** the workspaces that registered the repository */
  workspaceIds: readonly string[];
  repository: string;
  /** the GitHub issue it is filed under, and its own */
  parentNumber: number;
  number: number;
  title: string;
  body: string;
  by: string;
}

/**
 * Files a GitHub issue as a defect under the Baton issue mirrored as its parent, once: a delivery
 * carried out again finds the defect it filed (`created: false`). Null when the parent is not an
 * issue Baton mirrored to that repository.
 */
export async function fileGithubDefect(
  deps: EngineDeps,
  tx: StoreTx,
  d: GithubDefect,
): Promise<(IssueChange & { created: boolean }) | null> {
  const existing = await tx.findIssueByGithubIssue(d.workspaceIds, d.repository, d.number);
  if (existing) return { issue: existing, reopened: [], created: false };
  const parent = await tx.findIssueByGithubIssue(d.workspaceIds, d.repository, d.parentNumber);
  if (!parent) return null;
  const change = await createIssue(deps, tx, {
    workspaceId: parent.workspaceId,
    kind: 'defect',
    parentId: parent.id,
    title: d.title,
    body: d.body,
    createdBy: d.by,
    github: { repository: d.repository, number: d.number },
  });
  return { ...change, created: true };
}
