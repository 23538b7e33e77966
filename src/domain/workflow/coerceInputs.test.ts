import { describe, expect, it } from 'vitest';
import { type BatonError, isBatonError } from '../errors.ts';
import { coerceInputs } from './coerceInputs.ts';
import type { InputSpec } from './types.ts';

const specs: Record<string, InputSpec> = {
  env: { type: 'choice', required: true, options: ['staging', 'prod'] },
  count: { type: 'number', required: false, default: 2 },
  dry: { type: 'boolean', required: false, default: false },
  name: { type: 'string', required: false },
  cfg: { type: 'json', required: false, default: { a: [1] } },
};

function failure(raw: Record<string, unknown>): BatonError {
  try {
    coerceInputs(specs, raw);
  } catch (e) {
    if (isBatonError(e, 'invalid_input')) return e;
    throw e;
  }
  throw new Error('expected invalid_input');
}

describe('coerceInputs', () => {
  it('applies defaults and null for optional inputs without one', () => {
    expect(coerceInputs(specs, { env: 'prod' })).toEqual({
      env: 'prod',
      count: 2,
      dry: false,
      name: null,
      cfg: { a: [1] },
    });
  });

  it('does not share default objects between runs', () => {
    const a = coerceInputs(specs, { env: 'prod' });
    (a.cfg as { a: number[] }).a.push(2);
    expect(coerceInputs(specs, { env: 'prod' }).cfg).toEqual({ a: [1] });
  });

  it('coerces CLI strings', () => {
    expect(
      coerceInputs(specs, { env: 'staging', count: '3', dry: 'TRUE', name: 42, cfg: '{"x": true}' }),
    ).toEqual({
      env: 'staging',
      count: 3,
      dry: true,
      name: '42',
      cfg: { x: true },
    });
    expect(coerceInputs(specs, { env: 'prod', count: ' 1.5 ', dry: 'false', cfg: '[1,2]' })).toMatchObject({
      count: 1.5,
      dry: false,
      cfg: [1, 2],
    });
  });

  it('keeps typed values', () => {
    expect(coerceInputs(specs, { env: 'prod', count: 7, dry: true, cfg: ['x'] })).toMatchObject({
      count: 7,
      dry: true,
      cfg: ['x'],
    });
  });

  it('reports a missing required input', () => {
    const e = failure({});
    expect(e.message).toBe('input "env" is required');
    expect(e.field).toBe('inputs.env');
    expect(e.details).toEqual({ issues: [{ field: 'inputs.env', message: 'input "env" is required' }] });
  });

  it('collects every problem into one error', () => {
    const e = failure({ env: 'prd', count: 'many', dry: 'yes please', cfg: '{bad', cuont: 1 });
    expect(e.field).toBe('inputs.cuont');
    expect(e.details?.issues).toEqual([
      { field: 'inputs.cuont', message: 'unknown input "cuont"; did you mean "count"?' },
      {
        field: 'inputs.env',
        message: 'input "env": must be one of "staging", "prod", got "prd"; did you mean "prod"?',
      },
      { field: 'inputs.count', message: 'input "count": expected a number, got "many"' },
      { field: 'inputs.dry', message: 'input "dry": expected a boolean (true or false), got "yes please"' },
      { field: 'inputs.cfg', message: 'input "cfg": expected JSON, got "{bad"' },
    ]);
    expect(e.message).toMatch(
      /^5 invalid inputs: unknown input "cuont"; did you mean "count"\?; input "env": must be one of/,
    );
  });

  it('rejects objects for scalar types', () => {
    expect(failure({ env: 'prod', name: { a: 1 } }).message).toBe(
      'input "name": expected a string, got {"a":1}',
    );
    expect(failure({ env: 'prod', count: '' }).message).toBe('input "count": expected a number, got ""');
  });
});
