import * as z from 'zod';
import { expressionSchema } from './expressionSchema.ts';
import { strictObject } from './strictObject.ts';
import type { Route } from './types.ts';

/**
 * One `on:` route: `{ outcome = failure, if, goto, max }`. `goto` must be the step itself or one of
 * its ancestors (checked later); `max` (≥ 1) is required so every loop is bounded.
 */
export const routeSchema = strictObject({
  outcome: z.enum(['success', 'failure', 'timeout', 'rejected', 'any']).default('failure'),
  if: expressionSchema.optional(),
  goto: z.string().min(1),
  max: z.int().min(1),
}).transform((raw): Route => ({
  outcome: raw.outcome,
  ...(raw.if === undefined ? {} : { if: raw.if }),
  goto: raw.goto,
  max: raw.max,
}));
