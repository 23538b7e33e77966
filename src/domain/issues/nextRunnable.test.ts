import { describe, expect, it } from 'vitest';
import { sampleTree, type IssueSpec } from '../../../test/helpers/issueTrees.ts';
import type { IssueStatus } from './issueStatus.ts';
import { nextRunnable, type NextIssue } from './nextRunnable.ts';

function shop(done: Record<string, IssueStatus> = {}) {
  const spec = (kind: IssueSpec['kind'], title: string, children?: IssueSpec[]): IssueSpec => ({
    kind,
    title,
    status: done[title] ?? 'open',
    ...(children ? { children } : {}),
  });
  return sampleTree([
    spec('epic', 'Shop', [
      spec('feature', 'Login', [spec('task', 'Form'), spec('task', 'Session')]),
      spec('feature', 'Checkout', [
        spec('task', 'Cart'),
        spec('feature', 'Payments', [spec('task', 'Card')]),
      ]),
    ]),
    spec('epic', 'Search', [spec('task', 'Index')]),
  ]);
}

const show = (n: NextIssue) => (n.action === 'done' ? 'done' : `${n.action} ${n.issue.title}`);

describe('nextRunnable', () => {
  it('starts with the first leaf in order', () => {
    expect(show(nextRunnable(shop().tree))).toBe('work Form');
  });
  it('follows sibling order, then comes back up to complete the parent', () => {
    expect(show(nextRunnable(shop({ Form: 'done' }).tree))).toBe('work Session');
    expect(show(nextRunnable(shop({ Form: 'done', Session: 'done' }).tree))).toBe('complete Login');
    const login = { Form: 'done', Session: 'done', Login: 'done' } as const;
    expect(show(nextRunnable(shop(login).tree))).toBe('work Cart');
    expect(show(nextRunnable(shop({ ...login, Cart: 'done' }).tree))).toBe('work Card');
    expect(show(nextRunnable(shop({ ...login, Cart: 'done', Card: 'done' }).tree))).toBe('complete Payments');
  });
  it('an in-progress issue keeps its place; a later sibling done early does not jump ahead', () => {
    expect(show(nextRunnable(shop({ Form: 'in_progress', Session: 'done' }).tree))).toBe('work Form');
  });
  it('a blocked issue holds everything after it', () => {
    expect(show(nextRunnable(shop({ Form: 'blocked' }).tree))).toBe('blocked Form');
    expect(show(nextRunnable(shop({ Login: 'blocked' }).tree))).toBe('blocked Login');
  });
  it('moves to the next root once a tree is done, and reports done at the end', () => {
    const all: Record<string, IssueStatus> = {};
    for (const t of ['Form', 'Session', 'Login', 'Cart', 'Card', 'Payments', 'Checkout', 'Shop'])
      all[t] = 'done';
    expect(show(nextRunnable(shop(all).tree))).toBe('work Index');
    expect(show(nextRunnable(shop({ ...all, Index: 'done', Search: 'done' }).tree))).toBe('done');
  });
  it('starts from a given issue', () => {
    const s = shop();
    expect(show(nextRunnable(s.tree, s.get('Checkout').id))).toBe('work Cart');
    expect(show(nextRunnable(s.tree, s.get('Card').id))).toBe('work Card');
  });
});
