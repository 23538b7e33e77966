import { describe, expect, it } from 'vitest';
import { reorderError } from './reorderError.ts';

describe('reorderError', () => {
  const current = ['a', 'b', 'c'];
  it('accepts any permutation of the children', () => {
    expect(reorderError(current, ['c', 'a', 'b'])).toBeUndefined();
    expect(reorderError(current, current)).toBeUndefined();
    expect(reorderError([], [])).toBeUndefined();
  });
  it('refuses strangers, duplicates and omissions', () => {
    expect(reorderError(current, ['a', 'b', 'z'])).toBe('"z" is not a child of this issue');
    expect(reorderError(current, ['a', 'a', 'b', 'c'])).toBe('"a" is listed twice');
    expect(reorderError(current, ['b', 'a'])).toBe('the new order leaves out "c"');
  });
});
