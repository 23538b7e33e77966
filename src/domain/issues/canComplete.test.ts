import { describe, expect, it } from 'vitest';
import { sampleTree } from '../../../test/helpers/issueTrees.ts';
import { canComplete, describeIssue } from './canComplete.ts';

const s = sampleTree([
  {
    kind: 'epic',
    title: 'Shop',
    children: [
      {
        kind: 'feature',
        title: 'Login',
        children: [
          { kind: 'task', title: 'Form', status: 'done' },
          { kind: 'task', title: 'Session', children: [{ kind: 'defect', title: 'Expiry' }] },
        ],
      },
      {
        kind: 'feature',
        title: 'Done',
        status: 'done',
        children: [{ kind: 'task', title: 'Old', status: 'done' }],
      },
      { kind: 'task', title: 'Stuck', status: 'blocked' },
    ],
  },
]);

describe('canComplete', () => {
  it('a leaf completes', () => {
    expect(canComplete(s.tree, s.get('Expiry').id)).toEqual({ ok: true });
  });
  it('a parent with any open descendant does not, and names them all', () => {
    const c = canComplete(s.tree, s.get('Shop').id);
    expect(c.ok).toBe(false);
    if (c.ok || c.reason !== 'open_descendants') throw new Error('expected open descendants');
    expect(s.titles(c.open)).toEqual(['Login', 'Session', 'Expiry', 'Stuck']);
    const session = canComplete(s.tree, s.get('Session').id);
    expect(session).toMatchObject({ ok: false, reason: 'open_descendants' });
  });
  it('done and blocked issues do not complete', () => {
    expect(canComplete(s.tree, s.get('Done').id)).toEqual({ ok: false, reason: 'already_done' });
    expect(canComplete(s.tree, s.get('Stuck').id)).toEqual({ ok: false, reason: 'blocked' });
  });
  it('describes an issue for error messages', () => {
    expect(describeIssue(s.get('Session'))).toBe('#4 "Session" (task, open)');
  });
});
