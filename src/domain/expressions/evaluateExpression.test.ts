import { describe, expect, it } from 'vitest';
import { isBatonError } from '../errors.ts';
import type { ExpressionContext } from '../workflow/types.ts';
import { compileExpression } from './compileExpression.ts';
import { evaluateExpression } from './evaluateExpression.ts';

const ctx: ExpressionContext = {
  inputs: {
    count: 5,
    ratio: 1.5,
    name: 'web',
    flags: ['a', 'b'],
    cfg: { region: 'eu', replicas: 3 },
    nothing: null,
  },
  steps: {
    build: { status: 'succeeded', outcome: 'success', outputs: { version: '1.2.3', items: [1, 2, 3] } },
  },
  run: { id: 'r1', workflow: 'deploy' },
  env: { HOME: '/home/baton' },
  item: { name: 'x' },
};

function errorOf(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('compileExpression', () => {
  it('caches compiled expressions', () => {
    expect(compileExpression('inputs.count + 1')).toBe(compileExpression('inputs.count + 1'));
  });

  it('rejects syntax errors with the column', () => {
    const e = errorOf(() => compileExpression('inputs.count +'));
    expect(isBatonError(e, 'invalid_expression')).toBe(true);
    expect(e.message).toBe('invalid expression "inputs.count +": unexpected token: EOF at column 15');
  });

  it('rejects unterminated strings and unknown functions', () => {
    expect(errorOf(() => compileExpression('a == "x')).message).toBe(
      'invalid expression "a == \\"x": unterminated string at column 6',
    );
    expect(errorOf(() => compileExpression('nope(1)')).message).toContain(
      "found no matching overload for 'nope(int)'",
    );
  });

  it('rejects type errors between literals', () => {
    expect(errorOf(() => compileExpression('1 + "a"')).message).toContain('no such overload: int + string');
  });

  it('rejects an empty expression', () => {
    expect(
      isBatonError(
        errorOf(() => compileExpression('')),
        'invalid_expression',
      ),
    ).toBe(true);
  });
});

describe('evaluateExpression', () => {
  it('compares JS integers with CEL ints and doubles', () => {
    expect(evaluateExpression('inputs.count > 3', ctx)).toBe(true);
    expect(evaluateExpression('inputs.count == 5', ctx)).toBe(true);
    expect(evaluateExpression('inputs.count >= 5.0', ctx)).toBe(true);
    expect(evaluateExpression('inputs.ratio < 2', ctx)).toBe(true);
  });

  it('does arithmetic on numbers from the context', () => {
    expect(evaluateExpression('inputs.count + 1', ctx)).toBe(6);
    expect(evaluateExpression('inputs.ratio + 1', ctx)).toBe(2.5);
    expect(evaluateExpression('2 * inputs.ratio', ctx)).toBe(3);
    expect(evaluateExpression('inputs.count / 2', ctx)).toBe(2);
    expect(evaluateExpression('inputs.count / 2.0', ctx)).toBe(2.5);
    expect(evaluateExpression('5.0 == 5', ctx)).toBe(true);
  });

  it('normalises results to plain JS', () => {
    expect(evaluateExpression('steps.build.outputs.items.map(x, x * 2)', ctx)).toEqual([2, 4, 6]);
    expect(evaluateExpression('{"a": 1, "b": [true, "x"]}', ctx)).toEqual({ a: 1, b: [true, 'x'] });
    expect(evaluateExpression('{1: "one"}', ctx)).toEqual({ 1: 'one' });
    expect(evaluateExpression('size(inputs.flags)', ctx)).toBe(2);
    expect(evaluateExpression('inputs.cfg', ctx)).toEqual({ region: 'eu', replicas: 3 });
    expect(evaluateExpression('9223372036854775807', ctx)).toBe('9223372036854775807');
    expect(evaluateExpression('timestamp("2024-01-01T00:00:00Z") + duration("1h")', ctx)).toBe(
      '2024-01-01T01:00:00.000Z',
    );
    expect(evaluateExpression('duration("90s")', ctx)).toBe('90s');
    expect(evaluateExpression('3u', ctx)).toBe(3);
    expect(evaluateExpression('inputs.nothing', ctx)).toBeNull();
  });

  it('reads steps, run, env and extra variables', () => {
    expect(evaluateExpression('steps.build.outputs.version', ctx)).toBe('1.2.3');
    expect(evaluateExpression('steps.build.status == "succeeded"', ctx)).toBe(true);
    expect(evaluateExpression('run.workflow + "/" + item.name', ctx)).toBe('deploy/x');
    expect(evaluateExpression('env.HOME', ctx)).toBe('/home/baton');
  });

  it('reports a missing key clearly', () => {
    const e = errorOf(() => evaluateExpression('inputs.missing', ctx));
    expect(isBatonError(e, 'invalid_expression')).toBe(true);
    expect(e.message).toBe('expression "inputs.missing" failed: no such key: missing at column 8');
  });

  it('reports an unknown variable', () => {
    expect(errorOf(() => evaluateExpression('secrets.x', ctx)).message).toContain(
      'unknown variable: secrets',
    );
  });

  it('supports has() and optional access for missing keys', () => {
    expect(evaluateExpression('has(inputs.missing)', ctx)).toBe(false);
    expect(evaluateExpression('has(inputs.count)', ctx)).toBe(true);
    expect(evaluateExpression('inputs.?missing.orValue("dflt")', ctx)).toBe('dflt');
    expect(evaluateExpression('steps.build.outputs.?version.orValue("none")', ctx)).toBe('1.2.3');
  });

  it('treats undefined context values as missing', () => {
    expect(evaluateExpression('has(inputs.u)', { ...ctx, inputs: { u: undefined } })).toBe(false);
  });

  it('does not expose status functions outside conditions', () => {
    expect(errorOf(() => evaluateExpression('success()', ctx)).message).toContain(
      'only available in step conditions',
    );
  });
});
