import { assertExhaustive } from '../assertExhaustive.ts';
import type { IssueRecord } from './issueRecord.ts';
import { childrenOf, issueIn, type IssueTree } from './issueTree.ts';

/**
 * What the execution loop does next:
 * - `work`: an issue with nothing left under it that is not done (a leaf to implement);
 * - `complete`: every descendant is done: the issue is ready to complete (completion is explicit);
 * - `blocked`: the next issue in order is blocked: nothing after it runs until it is unblocked;
 * - `done`: every issue is done.
 */
export type NextIssue =
  | { action: 'work'; issue: IssueRecord }
  | { action: 'complete'; issue: IssueRecord }
  | { action: 'blocked'; issue: IssueRecord }
  | { action: 'done' };

/**
 * Siblings run one after another, depth-first: the first child (in order) that is not done is
 * descended into before its later siblings, and a parent comes up only once all its children are
 * done. From `id`, or over the roots in order when none is given.
 */
export function nextRunnable(tree: IssueTree, id?: string): NextIssue {
  const starts = id === undefined ? childrenOf(tree, null) : [issueIn(tree, id)];
  for (const start of starts) {
    const next = nextFrom(tree, start);
    if (next.action !== 'done') return next;
  }
  return { action: 'done' };
}

function nextFrom(tree: IssueTree, issue: IssueRecord): NextIssue {
  let node = issue;
  for (;;) {
    switch (node.status) {
      case 'done':
        return { action: 'done' };
      case 'blocked':
        return { action: 'blocked', issue: node };
      case 'open':
      case 'in_progress': {
        const children = childrenOf(tree, node.id);
        const pending = children.find((c) => c.status !== 'done');
        if (pending) {
          node = pending;
          continue;
        }
        return children.length ? { action: 'complete', issue: node } : { action: 'work', issue: node };
      }
      default:
        return assertExhaustive(node.status, 'issue status');
    }
  }
}
