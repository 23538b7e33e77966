import { assertExhaustive } from '../assertExhaustive.ts';

/**
 * Where an issue stands. `done` is reached only through completion (a parent completes when every
 * descendant is done) and left only by reopening (a defect filed under it, or `open` by hand).
 */
export const ISSUE_STATUSES = ['open', 'in_progress', 'blocked', 'done'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

/**
 * Why `from → to` is not a valid transition, or undefined when it is. `→ done` is only valid
 * here in principle: the completion rules (`canComplete`) decide whether the issue may close.
 */
export function transitionError(from: IssueStatus, to: IssueStatus): string | undefined {
  if (from === to) return undefined;
  switch (from) {
    case 'open':
    case 'in_progress':
      return undefined;
    case 'blocked':
      return to === 'done' ? 'a blocked issue cannot be completed: unblock it first' : undefined;
    case 'done':
      return to === 'open' ? undefined : `a done issue can only be reopened (status open), not set to ${to}`;
    default:
      return assertExhaustive(from, 'issue status');
  }
}
