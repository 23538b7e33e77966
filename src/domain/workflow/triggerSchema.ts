import { Cron } from 'croner';
import * as z from 'zod';
import { strictObject } from './strictObject.ts';
import type { Trigger } from './types.ts';

/** `null` when the cron pattern is valid (5 or 6 fields, or a nickname such as `@daily`), else why not. */
export function cronProblem(pattern: string): string | null {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('@') && !/^\S+(\s+\S+){4,5}$/.test(trimmed)) {
    return `invalid cron pattern ${JSON.stringify(pattern)}: expected 5 fields (minute hour day month weekday) or 6 with seconds`;
  }
  try {
    new Cron(trimmed, { paused: true }).stop();
    return null;
  } catch (e) {
    return `invalid cron pattern ${JSON.stringify(pattern)}: ${(e as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

/** `null` when `timezone` is an IANA zone Intl knows. */
export function timezoneProblem(timezone: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return null;
  } catch {
    return `unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as "UTC" or "Europe/Paris"`;
  }
}

const scheduleObject = strictObject({
  cron: z.string(),
  timezone: z.string().default('UTC'),
  inputs: z.record(z.string(), z.unknown()).default({}),
}).superRefine((value, ctx) => {
  const cron = typeof value.cron === 'string' ? cronProblem(value.cron) : null;
  if (cron !== null) ctx.addIssue({ code: 'custom', path: ['cron'], message: cron });
  const tz = typeof value.timezone === 'string' ? timezoneProblem(value.timezone) : null;
  if (tz !== null) ctx.addIssue({ code: 'custom', path: ['timezone'], message: tz });
});

/** `manual`, `{ schedule: { cron, timezone = UTC, inputs } }` or `{ schedule: "<cron>" }`. */
export const triggerSchema = z.union([
  z.literal('manual').transform((): Trigger => ({ type: 'manual' })),
  strictObject({
    schedule: z.union([
      z.string().transform((cron, ctx) => {
        const problem = cronProblem(cron);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
        return { cron, timezone: 'UTC', inputs: {} };
      }),
      scheduleObject,
    ]),
  }).transform(({ schedule }): Trigger => ({
    type: 'schedule',
    cron: schedule.cron.trim(),
    timezone: schedule.timezone,
    inputs: schedule.inputs,
  })),
]);
