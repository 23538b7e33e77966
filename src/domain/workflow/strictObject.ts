import * as z from 'zod';
import { didYouMeanSuffix } from '../didYouMean.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An object schema rejecting unknown keys, one issue per key at `path.key`:
 * `unknown key; did you mean "needs"?`. (zod's strictObject reports all keys in one issue without
 * suggestions.) The check runs even when other keys fail, so every problem is reported at once.
 */
export function strictObject<const T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.looseObject(shape).superRefine(
    (value, ctx) => {
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(shape, key)) continue;
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `unknown key${didYouMeanSuffix(key, known)}`,
          params: { unknownKey: true },
        });
      }
    },
    { when: (payload) => isPlainObject(payload.value) },
  );
}
