import { assertExhaustive } from '../assertExhaustive.ts';

/** What an issue of the tree is: epics hold features, features hold features and tasks; defects go anywhere. */
export const ISSUE_KINDS = ['epic', 'feature', 'task', 'defect'] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

/** The kinds an issue of `parent` kind may hold (every kind may hold defects). */
export function childKindsOf(parent: IssueKind): readonly IssueKind[] {
  switch (parent) {
    case 'epic':
      return ['feature', 'task', 'defect'];
    case 'feature':
      return ['feature', 'task', 'defect'];
    case 'task':
    case 'defect':
      return ['defect'];
    default:
      return assertExhaustive(parent, 'issue kind');
  }
}

/** Why `child` may not be filed under `parent`, or undefined when it may (an epic is always a root). */
export function nestingError(parent: IssueKind, child: IssueKind): string | undefined {
  const allowed = childKindsOf(parent);
  if (allowed.includes(child)) return undefined;
  return `a ${parent} holds only ${allowed.map((k) => `${k}s`).join(', ')}: not a ${child}`;
}
