import type { RetryPolicy } from './workflow/types.ts';

/**
 * Capped exponential backoff with jitter (DESIGN §3.8). `failures` is the number of failed attempts
 * so far (1 after the first failure). `random` is injectable for tests.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  failures: number,
  random: () => number = Math.random,
): number {
  const { initialMs, maxMs, factor } = policy.backoff;
  const base = Math.min(maxMs, initialMs * Math.pow(factor, Math.max(0, failures - 1)));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  // the jittered part is drawn uniformly from [0, jitter × base]; the rest is fixed
  return Math.round(base * (1 - jitter) + base * jitter * random());
}
