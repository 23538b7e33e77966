import { describe, expect, it } from 'vitest';
import { isBatonError } from '../errors.ts';
import { conditionCallsStatusFunction } from './conditionCallsStatusFunction.ts';
import { evaluateCondition } from './evaluateCondition.ts';

const ctx = { inputs: { env: 'prod', count: 5 }, steps: {}, run: { id: 'r', workflow: 'w' }, env: {} };
const ok = { allSucceeded: true, anyFailed: false };
const failed = { allSucceeded: false, anyFailed: true };
const cancelled = { allSucceeded: true, anyFailed: false, cancelled: true };

describe('evaluateCondition', () => {
  it('defaults to success() without a condition', () => {
    expect(evaluateCondition(undefined, ctx, ok)).toBe(true);
    expect(evaluateCondition(undefined, ctx, failed)).toBe(false);
    expect(evaluateCondition('  ', ctx, ok)).toBe(true);
  });

  it('implicitly requires success() when no status function is called', () => {
    expect(evaluateCondition('inputs.env == "prod"', ctx, ok)).toBe(true);
    expect(evaluateCondition('inputs.env == "dev"', ctx, ok)).toBe(false);
    expect(evaluateCondition('inputs.env == "prod"', ctx, failed)).toBe(false);
    expect(evaluateCondition('inputs.count > 3', ctx, cancelled)).toBe(false);
  });

  it('does not evaluate the expression when needs did not succeed', () => {
    expect(evaluateCondition('inputs.missing', ctx, failed)).toBe(false);
  });

  it('supports failure(), always(), success() and cancelled()', () => {
    expect(evaluateCondition('failure()', ctx, failed)).toBe(true);
    expect(evaluateCondition('failure()', ctx, ok)).toBe(false);
    expect(evaluateCondition('always()', ctx, failed)).toBe(true);
    expect(evaluateCondition('always()', ctx, cancelled)).toBe(true);
    expect(evaluateCondition('success() || inputs.env == "prod"', ctx, failed)).toBe(true);
    expect(evaluateCondition('failure() && inputs.env == "dev"', ctx, failed)).toBe(false);
    expect(evaluateCondition('cancelled()', ctx, cancelled)).toBe(true);
    expect(evaluateCondition('success()', ctx, cancelled)).toBe(false);
    expect(evaluateCondition('!cancelled()', ctx, ok)).toBe(true);
  });

  it('unwraps a condition written as a template', () => {
    expect(evaluateCondition('{{ failure() }}', ctx, failed)).toBe(true);
    expect(evaluateCondition('{{ inputs.env == "prod" }}', ctx, ok)).toBe(true);
  });

  it('requires a bool result', () => {
    try {
      evaluateCondition('inputs.count', ctx, ok);
      expect.unreachable();
    } catch (e) {
      expect(isBatonError(e, 'invalid_expression')).toBe(true);
      expect((e as Error).message).toBe('condition "inputs.count" must evaluate to a bool, got int');
    }
    expect(() => evaluateCondition('inputs.env', ctx, ok)).toThrow('must evaluate to a bool, got string');
  });
});

describe('conditionCallsStatusFunction', () => {
  it('finds status calls anywhere, not in strings', () => {
    expect(conditionCallsStatusFunction('always()')).toBe(true);
    expect(conditionCallsStatusFunction('inputs.x == "y" || failure()')).toBe(true);
    expect(conditionCallsStatusFunction('inputs.x == "failure()"')).toBe(false);
    expect(conditionCallsStatusFunction('inputs.x')).toBe(false);
    expect(conditionCallsStatusFunction('{{ success() }}')).toBe(true);
  });
});
