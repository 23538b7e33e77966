import type { IssueRecord } from './issueRecord.ts';
import { ancestorsOf, issueIn, type IssueTree } from './issueTree.ts';

/**
 * What reopens when work is added under `id` (a defect filed under it) or when it is reopened by
 * hand: the issue itself if done, and every done ancestor above it, nearest first. A done parent
 * always has only done descendants, so the done issues form an unbroken path up from `id`.
 */
export function reopenedPath(tree: IssueTree, id: string): IssueRecord[] {
  return [issueIn(tree, id), ...ancestorsOf(tree, id)].filter((i) => i.status === 'done');
}
