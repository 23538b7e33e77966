import { describe, expect, it } from 'vitest';
import { sampleTree } from '../../../test/helpers/issueTrees.ts';
import { mergeBlockedBy } from './mergeBlockedBy.ts';

const s = sampleTree([
  {
    kind: 'epic',
    title: 'Shop',
    children: [
      {
        kind: 'feature',
        title: 'Login',
        children: [
          { kind: 'task', title: 'Form', children: [{ kind: 'defect', title: 'Typo', status: 'done' }] },
          { kind: 'task', title: 'Session', children: [{ kind: 'defect', title: 'Expiry' }] },
        ],
      },
      {
        kind: 'defect',
        title: 'Crash',
        status: 'in_progress',
        children: [{ kind: 'defect', title: 'Regr' }],
      },
    ],
  },
]);

describe('mergeBlockedBy', () => {
  it('lists the open defects anywhere under an issue, in tree order', () => {
    expect(s.titles(mergeBlockedBy(s.tree, s.get('Shop').id))).toEqual(['Expiry', 'Crash', 'Regr']);
    expect(s.titles(mergeBlockedBy(s.tree, s.get('Login').id))).toEqual(['Expiry']);
  });
  it('done defects and the issue itself do not block', () => {
    expect(mergeBlockedBy(s.tree, s.get('Form').id)).toEqual([]);
    expect(s.titles(mergeBlockedBy(s.tree, s.get('Crash').id))).toEqual(['Regr']);
    expect(mergeBlockedBy(s.tree, s.get('Expiry').id)).toEqual([]);
  });
});
