import { z } from 'zod';

export const isoTime = z.string().describe('ISO 8601 time (UTC)');
export const nullableTime = isoTime.nullable();

export const toIso = (ms: number): string => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null): string | null => (ms === null ? null : toIso(ms));

export const jsonObject = z.record(z.string(), z.unknown());

export const limitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(500)
  .default(50)
  .describe('page size, 1..500 (default 50)');
export const cursorParam = z
  .string()
  .min(1)
  .max(2000)
  .optional()
  .describe('opaque cursor: `next_cursor` of the previous page');

/** `{items, next_cursor}`: next_cursor is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next_cursor: z.string().nullable(),
  });
}

export const runIdParam = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9a-fA-F-]+$/, 'must be a run id or a unique prefix of one')
  .describe('a run id or a unique prefix of one');
export const stepKeyParam = z.string().min(1).max(200).describe('the step id in the workflow');
export const workflowNameParam = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must match [a-z0-9][a-z0-9._-]*');

/** The actor of a mutating call until accounts exist: `X-Baton-Actor` or `api`. */
export const actorHeaders = z.looseObject({
  'x-baton-actor': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters')
    .optional()
    .describe('who is acting (until API tokens exist; default `api`)'),
});
export function actorOf(headers: { 'x-baton-actor'?: string | undefined }): string {
  return headers['x-baton-actor'] ?? 'api';
}
