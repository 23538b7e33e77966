import * as z from 'zod';
import { parseDuration } from '../duration.ts';

/** A duration (`"30s"`, `"1h30m"`, or a number of seconds) parsed to milliseconds. */
export const durationSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});
