import type { IssueRecord } from './issueRecord.ts';
import { descendantsOf, issueIn, type IssueTree } from './issueTree.ts';

export type CompletionCheck =
  | { ok: true }
  | { ok: false; reason: 'already_done' | 'blocked' }
  | { ok: false; reason: 'open_descendants'; open: IssueRecord[] };

/**
 * Whether an issue may be completed: a parent closes only when every descendant is done (it is
 * never closed by itself when its last child is: completion stays an explicit step, and
 * `nextRunnable` answers `complete` for it).
 */
export function canComplete(tree: IssueTree, id: string): CompletionCheck {
  const issue = issueIn(tree, id);
  if (issue.status === 'done') return { ok: false, reason: 'already_done' };
  if (issue.status === 'blocked') return { ok: false, reason: 'blocked' };
  const open = descendantsOf(tree, id).filter((d) => d.status !== 'done');
  return open.length ? { ok: false, reason: 'open_descendants', open } : { ok: true };
}

/** `#12 "Title" (task, open)`: how errors name an issue. */
export function describeIssue(i: Pick<IssueRecord, 'number' | 'title' | 'kind' | 'status'>): string {
  return `#${i.number} "${i.title}" (${i.kind}, ${i.status})`;
}
