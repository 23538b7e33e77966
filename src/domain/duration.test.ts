import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';
import { isBatonError } from './errors.ts';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1m30s500ms', 90_500],
    ['1.5s', 1500],
    [' 10s ', 10_000],
    ['90', 90_000],
    [90, 90_000],
    [0.25, 250],
    [0, 0],
  ] as const)('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(['', 'abc', '5x', '5 m', '-5s', 'm5', '1h 30m'])('rejects %j', (input) => {
    try {
      parseDuration(input);
      expect.unreachable();
    } catch (e) {
      expect(isBatonError(e, 'invalid_input')).toBe(true);
      expect((e as Error).message).toBe(
        `invalid duration ${JSON.stringify(input)}: expected a duration such as "30s", "5m", "1h30m", "2d", "250ms" or a number of seconds`,
      );
    }
  });

  it('rejects negative and non-finite numbers', () => {
    expect(() => parseDuration(-1)).toThrow(
      'invalid duration -1: a duration must be a non-negative number of seconds',
    );
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow('invalid duration');
    expect(() => parseDuration(Number.NaN)).toThrow('invalid duration');
  });
});
