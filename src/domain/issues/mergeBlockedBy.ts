import type { IssueRecord } from './issueRecord.ts';
import { descendantsOf, issueIn, type IssueTree } from './issueTree.ts';

/** The defects under an issue (not itself) that are not done yet: its branch may not merge until they are. */
export function mergeBlockedBy(tree: IssueTree, id: string): IssueRecord[] {
  issueIn(tree, id);
  return descendantsOf(tree, id).filter((d) => d.kind === 'defect' && d.status !== 'done');
}
