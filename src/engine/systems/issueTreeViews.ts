import { BatonError } from '../../domain/errors.ts';
import { hierarchyOf, type BranchPlan } from '../../domain/issues/branchPlan.ts';
import { canComplete } from '../../domain/issues/canComplete.ts';
import type { IssueRecord } from '../../domain/issues/issueRecord.ts';
import { buildIssueTree, childrenOf, descendantsOf, issueIn } from '../../domain/issues/issueTree.ts';
import { mergeBlockedBy } from '../../domain/issues/mergeBlockedBy.ts';
import { nextRunnable, type NextIssue } from '../../domain/issues/nextRunnable.ts';
import type { StoreTx } from '../ports/store.ts';
import { issueNotFound } from './lockedIssueTree.ts';

/** One issue as the API shows it: its children in order and what its tree's rules say about it. */
export interface IssueView {
  issue: IssueRecord;
  children: readonly IssueRecord[];
  /** every descendant is done (and it is neither done nor blocked): it may complete */
  completable: boolean;
  /** open defects under it: its branch may not merge until they are done */
  mergeBlockedBy: IssueRecord[];
  /** what to do next in its subtree */
  next: NextIssue;
}

/** The trees of a run, depth-first in sibling order, and what to do next. */
export interface RunIssues {
  issues: IssueRecord[];
  next: NextIssue;
}

async function treeOf(store: StoreTx, id: string) {
  const found = await store.getIssue(id);
  if (!found) throw issueNotFound(id);
  const tree = buildIssueTree(await store.listIssueTree(found.rootId));
  issueIn(tree, id);
  return tree;
}

export async function issueView(store: StoreTx, id: string): Promise<IssueView> {
  const tree = await treeOf(store, id);
  return {
    issue: issueIn(tree, id),
    children: childrenOf(tree, id),
    completable: canComplete(tree, id).ok,
    mergeBlockedBy: mergeBlockedBy(tree, id),
    next: nextRunnable(tree, id),
  };
}

export async function runIssues(store: StoreTx, runId: string): Promise<RunIssues> {
  if (!(await store.getRun(runId))) {
    throw new BatonError('not_found', `run ${runId} does not exist`, { field: 'id' });
  }
  const tree = buildIssueTree(await store.listRunIssues(runId));
  return { issues: descendantsOf(tree, null), next: nextRunnable(tree) };
}

/** The path from the root down to the issue, with each level's branch, base and pull request target. */
export async function issueHierarchy(
  store: StoreTx,
  id: string,
): Promise<Array<{ issue: IssueRecord } & BranchPlan>> {
  return hierarchyOf(await treeOf(store, id), id);
}
