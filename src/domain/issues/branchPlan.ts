import type { IssueKind } from './issueKind.ts';
import type { IssueRecord } from './issueRecord.ts';
import { ancestorsOf, issueIn, type IssueTree } from './issueTree.ts';
import { slugify } from './slugify.ts';

/** The long-lived branch every root issue starts from and its pull request targets. */
export const INTEGRATION_BRANCH = 'integration';

/** An issue's branch: `<kind>/<number>-<slug of the title>` (`epic/12-checkout-flow`). */
export function issueBranchName(i: { kind: IssueKind; number: number; title: string }): string {
  return `${i.kind}/${i.number}-${slugify(i.title)}`;
}

export interface BranchPlan {
  /** the issue's own branch */
  branch: string;
  /** the branch it is created from */
  base: string;
  /** the branch its pull request targets */
  prTarget: string;
}

/**
 * Where an issue's branch comes from and where its pull request goes: a root branches from and
 * targets `integration`; a task branches from its parent; any other child from its nearest
 * ancestor that is not done (its parent while work is open under it); every pull request
 * targets the parent's branch.
 */
export function branchPlanOf(tree: IssueTree, id: string): BranchPlan {
  const issue = issueIn(tree, id);
  const ancestors = ancestorsOf(tree, id);
  const parent = ancestors[0];
  if (!parent) return { branch: issue.branch, base: INTEGRATION_BRANCH, prTarget: INTEGRATION_BRANCH };
  const base = issue.kind === 'task' ? parent : ancestors.find((a) => a.status !== 'done');
  return { branch: issue.branch, base: base?.branch ?? INTEGRATION_BRANCH, prTarget: parent.branch };
}

/** The path from the root down to the issue, each with its branch plan. */
export function hierarchyOf(tree: IssueTree, id: string): Array<{ issue: IssueRecord } & BranchPlan> {
  const path = [...ancestorsOf(tree, id).reverse(), issueIn(tree, id)];
  return path.map((issue) => ({ issue, ...branchPlanOf(tree, issue.id) }));
}
