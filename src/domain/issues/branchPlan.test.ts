import { describe, expect, it } from 'vitest';
import { sampleTree } from '../../../test/helpers/issueTrees.ts';
import { branchPlanOf, hierarchyOf, INTEGRATION_BRANCH, issueBranchName } from './branchPlan.ts';

const s = sampleTree([
  {
    kind: 'epic',
    title: 'Shop front',
    children: [
      {
        kind: 'feature',
        title: 'Checkout',
        children: [
          { kind: 'task', title: 'Cart', children: [{ kind: 'defect', title: 'Rounding' }] },
          { kind: 'feature', title: 'Payments', children: [{ kind: 'task', title: 'Card' }] },
        ],
      },
      {
        kind: 'feature',
        title: 'Legacy',
        status: 'done',
        children: [{ kind: 'feature', title: 'Old', status: 'done' }],
      },
    ],
  },
  { kind: 'task', title: 'Chore' },
]);

describe('branch plan', () => {
  it('names branches <kind>/<number>-<slug>', () => {
    expect(issueBranchName({ kind: 'epic', number: 12, title: 'Checkout Flow!' })).toBe(
      'epic/12-checkout-flow',
    );
    expect(s.get('Shop front').branch).toBe('epic/1-shop-front');
  });
  it('a root branches from and targets integration', () => {
    expect(branchPlanOf(s.tree, s.get('Shop front').id)).toEqual({
      branch: 'epic/1-shop-front',
      base: INTEGRATION_BRANCH,
      prTarget: INTEGRATION_BRANCH,
    });
    expect(branchPlanOf(s.tree, s.get('Chore').id)).toMatchObject({
      base: 'integration',
      prTarget: 'integration',
    });
  });
  it('every level branches from its parent while it is open, and targets its parent', () => {
    expect(branchPlanOf(s.tree, s.get('Checkout').id)).toEqual({
      branch: 'feature/2-checkout',
      base: 'epic/1-shop-front',
      prTarget: 'epic/1-shop-front',
    });
    expect(branchPlanOf(s.tree, s.get('Cart').id)).toEqual({
      branch: 'task/3-cart',
      base: 'feature/2-checkout',
      prTarget: 'feature/2-checkout',
    });
    expect(branchPlanOf(s.tree, s.get('Rounding').id)).toEqual({
      branch: 'defect/4-rounding',
      base: 'task/3-cart',
      prTarget: 'task/3-cart',
    });
    expect(branchPlanOf(s.tree, s.get('Card').id)).toEqual({
      branch: 'task/6-card',
      base: 'feature/5-payments',
      prTarget: 'feature/5-payments',
    });
  });
  it('a child branches from its nearest open ancestor (a done parent is skipped), still targeting the parent', () => {
    expect(branchPlanOf(s.tree, s.get('Old').id)).toEqual({
      branch: 'feature/8-old',
      base: 'epic/1-shop-front',
      prTarget: 'feature/7-legacy',
    });
  });
  it('the hierarchy runs from the root down, each level with its plan', () => {
    const h = hierarchyOf(s.tree, s.get('Card').id);
    expect(h.map((x) => [x.issue.title, x.base, x.prTarget])).toEqual([
      ['Shop front', 'integration', 'integration'],
      ['Checkout', 'epic/1-shop-front', 'epic/1-shop-front'],
      ['Payments', 'feature/2-checkout', 'feature/2-checkout'],
      ['Card', 'feature/5-payments', 'feature/5-payments'],
    ]);
  });
});
