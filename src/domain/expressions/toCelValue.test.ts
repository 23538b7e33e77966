import { describe, expect, it } from 'vitest';
import { fromCelValue } from './fromCelValue.ts';
import { toCelValue } from './toCelValue.ts';

describe('toCelValue / fromCelValue', () => {
  it('turns safe integers into BigInt and keeps doubles', () => {
    expect(toCelValue({ a: 1, b: 1.5, c: [2, 'x'], d: null, e: undefined })).toEqual({
      a: 1n,
      b: 1.5,
      c: [2n, 'x'],
      d: null,
    });
    expect(toCelValue(2 ** 60)).toBe(2 ** 60);
  });

  it('keeps dates and converts maps deeply', () => {
    const date = new Date(0);
    expect(toCelValue(date)).toBe(date);
    expect(toCelValue(new Map([['k', 3]]))).toEqual(new Map([['k', 3n]]));
  });

  it('normalises CEL values back to plain JS', () => {
    expect(fromCelValue({ a: [1n, 2.5, new Map([[1n, true]])] })).toEqual({ a: [1, 2.5, { 1: true }] });
    expect(fromCelValue(2n ** 70n)).toBe('1180591620717411303424');
    expect(fromCelValue(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(fromCelValue(new TextEncoder().encode('hi'))).toBe('hi');
    expect(fromCelValue(undefined)).toBeNull();
  });
});
