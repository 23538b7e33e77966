import { describe, expect, it } from 'vitest';
import { sampleTree } from '../../../test/helpers/issueTrees.ts';
import { reopenedPath } from './reopenedPath.ts';

describe('reopenedPath', () => {
  it('a done task reopens with its done ancestors, nearest first', () => {
    const s = sampleTree([
      {
        kind: 'epic',
        title: 'Shop',
        status: 'done',
        children: [
          {
            kind: 'feature',
            title: 'Login',
            status: 'done',
            children: [{ kind: 'task', title: 'Form', status: 'done' }],
          },
        ],
      },
    ]);
    expect(s.titles(reopenedPath(s.tree, s.get('Form').id))).toEqual(['Form', 'Login', 'Shop']);
  });
  it('stops at open issues: only the done part of the path reopens', () => {
    const s = sampleTree([
      {
        kind: 'epic',
        title: 'Shop',
        children: [
          {
            kind: 'feature',
            title: 'Login',
            children: [{ kind: 'task', title: 'Form', status: 'done' }],
          },
        ],
      },
    ]);
    expect(s.titles(reopenedPath(s.tree, s.get('Form').id))).toEqual(['Form']);
    expect(reopenedPath(s.tree, s.get('Login').id)).toEqual([]);
  });
});
