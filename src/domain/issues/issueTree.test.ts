import { describe, expect, it } from 'vitest';
import { sampleTree } from '../../../test/helpers/issueTrees.ts';
import { ancestorsOf, buildIssueTree, childrenOf, descendantsOf, issueIn } from './issueTree.ts';

const s = sampleTree([
  {
    kind: 'epic',
    title: 'Shop',
    children: [
      { kind: 'feature', title: 'Login', children: [{ kind: 'task', title: 'Form' }] },
      { kind: 'feature', title: 'Checkout', children: [{ kind: 'task', title: 'Cart' }] },
    ],
  },
]);

describe('issue tree', () => {
  it('orders children by position, whatever order the rows came in', () => {
    const shuffled = buildIssueTree(
      [...s.issues].reverse().map((i) => (i.title === 'Login' ? { ...i, position: 5 } : i)),
    );
    expect(s.titles(childrenOf(shuffled, s.get('Shop').id))).toEqual(['Checkout', 'Login']);
    expect(s.titles(childrenOf(shuffled, null))).toEqual(['Shop']);
  });
  it('walks ancestors nearest first and descendants depth-first', () => {
    expect(s.titles(ancestorsOf(s.tree, s.get('Cart').id))).toEqual(['Checkout', 'Shop']);
    expect(s.titles(descendantsOf(s.tree, s.get('Shop').id))).toEqual(['Login', 'Form', 'Checkout', 'Cart']);
    expect(s.titles(descendantsOf(s.tree, null))).toHaveLength(5);
  });
  it('an unknown id is not_found', () => {
    expect(() => issueIn(s.tree, 'nope')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
  it('a node whose parent is missing reads as a root', () => {
    const sub = buildIssueTree(s.issues.filter((i) => i.title !== 'Shop'));
    expect(s.titles(childrenOf(sub, null))).toEqual(['Login', 'Checkout']);
  });
});
