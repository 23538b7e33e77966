import * as z from 'zod';
import { durationSchema } from './durationSchema.ts';
import { strictObject } from './strictObject.ts';
import type { RetryPolicy } from './types.ts';

/** Defaults of a retry policy: 1s initial delay doubling up to 60s, 20% jitter, retry failures and timeouts. */
export const RETRY_DEFAULTS = {
  max: 3,
  backoff: { initialMs: 1000, maxMs: 60_000, factor: 2 },
  jitter: 0.2,
  on: ['failure', 'timeout'],
} as const satisfies RetryPolicy;

const backoffObject = strictObject({
  initial: durationSchema.optional(),
  max: durationSchema.optional(),
  factor: z.number().min(1).optional(),
});

const backoffSchema = z.union([
  z
    .enum(['exponential', 'fixed'])
    .transform((kind) => ({ ...RETRY_DEFAULTS.backoff, factor: kind === 'fixed' ? 1 : 2 })),
  backoffObject.transform((raw, ctx) => {
    const backoff = {
      initialMs: raw.initial ?? RETRY_DEFAULTS.backoff.initialMs,
      maxMs: raw.max ?? RETRY_DEFAULTS.backoff.maxMs,
      factor: raw.factor ?? RETRY_DEFAULTS.backoff.factor,
    };
    if (backoff.maxMs < backoff.initialMs)
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'must not be shorter than initial' });
    return backoff;
  }),
]);

/**
 * `retry: 3` (max retries, defaults for the rest) or `{ max = 3, backoff: "exponential" | "fixed" |
 * { initial = 1s, max = 60s, factor = 2 }, jitter = 0.2, on = [failure, timeout] }`.
 */
export const retrySchema = z.union([
  z
    .int()
    .min(0)
    .transform((max): RetryPolicy => ({
      ...RETRY_DEFAULTS,
      backoff: { ...RETRY_DEFAULTS.backoff },
      on: [...RETRY_DEFAULTS.on],
      max,
    })),
  strictObject({
    max: z.int().min(0).default(RETRY_DEFAULTS.max),
    backoff: backoffSchema.optional(),
    jitter: z.number().min(0).max(1).default(RETRY_DEFAULTS.jitter),
    on: z
      .array(z.enum(['failure', 'timeout', 'lease_lost']))
      .min(1)
      .default([...RETRY_DEFAULTS.on]),
  }).transform((raw): RetryPolicy => ({
    max: raw.max,
    backoff: raw.backoff ?? { ...RETRY_DEFAULTS.backoff },
    jitter: raw.jitter,
    on: [...new Set(raw.on)],
  })),
]);
