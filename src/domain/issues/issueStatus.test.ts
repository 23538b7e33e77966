import { describe, expect, it } from 'vitest';
import { ISSUE_STATUSES, transitionError } from './issueStatus.ts';

describe('issue status transitions', () => {
  it('open and in-progress issues move anywhere (done still goes through the completion rules)', () => {
    for (const from of ['open', 'in_progress'] as const)
      for (const to of ISSUE_STATUSES) expect(transitionError(from, to)).toBeUndefined();
  });
  it('a blocked issue must be unblocked before it completes', () => {
    expect(transitionError('blocked', 'open')).toBeUndefined();
    expect(transitionError('blocked', 'in_progress')).toBeUndefined();
    expect(transitionError('blocked', 'done')).toMatch(/unblock it first/);
  });
  it('a done issue can only be reopened', () => {
    expect(transitionError('done', 'open')).toBeUndefined();
    expect(transitionError('done', 'in_progress')).toMatch(/only be reopened/);
    expect(transitionError('done', 'blocked')).toMatch(/only be reopened/);
  });
  it('staying put is no transition', () => {
    for (const s of ISSUE_STATUSES) expect(transitionError(s, s)).toBeUndefined();
  });
});
