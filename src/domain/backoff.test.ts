import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';
import type { RetryPolicy } from './workflow/types.ts';

const policy = (jitter: number): RetryPolicy => ({
  max: 10,
  backoff: { initialMs: 100, maxMs: 1000, factor: 2 },
  jitter,
  on: ['failure'],
});

describe('retryDelayMs', () => {
  it('grows exponentially and caps at maxMs without jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((f) => retryDelayMs(policy(0), f))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });
  it('spreads the jittered fraction between the bounds', () => {
    expect(retryDelayMs(policy(0.5), 3, () => 0)).toBe(200);
    expect(retryDelayMs(policy(0.5), 3, () => 1)).toBe(400);
    expect(retryDelayMs(policy(1), 3, () => 0.25)).toBe(100);
  });
});
