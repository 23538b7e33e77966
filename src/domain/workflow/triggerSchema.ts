import { Cron } from 'croner';
import * as z from 'zod';
import { expressionSchema } from './expressionSchema.ts';
import { githubTriggerSchema } from './githubTriggerSchema.ts';
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

/** An event type as `POST /api/v1/events` accepts it (and Baton's own `run.succeeded`…). */
const EVENT_TYPE = /^[a-z][a-z0-9_.:-]*$/;

/** `null` when `pattern` is an exact event type, a prefix glob ending in `.*`, or `*`; else why not. */
export function eventPatternProblem(pattern: string): string | null {
  if (pattern === '*') return null;
  const base = pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  if (EVENT_TYPE.test(base) && !base.endsWith('.')) return null;
  if (base.includes('*')) {
    return `invalid event type pattern ${JSON.stringify(pattern)}: "*" may only be a last segment ("pr.*") or the whole pattern`;
  }
  return `invalid event type ${JSON.stringify(pattern)}: use lower-case [a-z][a-z0-9_.:-]* (an exact type such as "pr.created"), a prefix such as "pr.*", or "*"`;
}

const eventTypeSchema = z
  .string()
  .transform((value) => value.trim())
  .superRefine((pattern, ctx) => {
    const problem = eventPatternProblem(pattern);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

const eventObject = strictObject({
  type: eventTypeSchema,
  if: expressionSchema.optional(),
  inputs: z.record(z.string(), z.unknown()).default({}),
  allow_self: z.boolean().default(false),
});

const eventSchema = z.union([
  eventTypeSchema.transform(
    (type): { type: string; if?: string; inputs: Record<string, unknown>; allow_self: boolean } => ({
      type,
      inputs: {},
      allow_self: false,
    }),
  ),
  eventObject,
]);

const scheduleSchema = z.union([
  z.string().transform((cron, ctx) => {
    const problem = cronProblem(cron);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    return { cron, timezone: 'UTC', inputs: {} };
  }),
  scheduleObject,
]);

const KINDS = ['schedule', 'event', 'github'] as const;

/**
 * `manual`; `{ schedule: { cron, timezone = UTC, inputs } }` or `{ schedule: "<cron>" }`;
 * `{ event: { type, if, inputs, allow_self } }` or `{ event: "<type>" }`; `{ github: { event,
 * label, repository, branch, … } }` or `{ github: "<event>" }`. A trigger map has one kind.
 */
export const triggerSchema = z.union([
  z.literal('manual').transform((): Trigger => ({ type: 'manual' })),
  strictObject({
    schedule: scheduleSchema.optional(),
    event: eventSchema.optional(),
    github: githubTriggerSchema.optional(),
  })
    .superRefine((value, ctx) => {
      const kinds = KINDS.filter((k) => value[k] !== undefined);
      if (kinds.length === 1) return;
      // `{ shedule: … }`: the unknown key (with its suggestion) says it already
      if (kinds.length === 0 && Object.keys(value).some((k) => !(KINDS as readonly string[]).includes(k)))
        return;
      ctx.addIssue({
        code: 'custom',
        message:
          kinds.length === 0
            ? 'a trigger map needs one of "schedule", "event" or "github" (or write the string "manual")'
            : `a trigger has one kind, not ${kinds.map((k) => `"${k}"`).join(' and ')} (add another trigger)`,
      });
    })
    .transform(({ schedule, event, github }): Trigger => {
      if (github !== undefined) return github;
      if (event !== undefined) {
        return {
          type: 'event',
          eventType: event.type,
          ...(event.if === undefined ? {} : { if: event.if }),
          inputs: event.inputs,
          allowSelf: event.allow_self,
        };
      }
      const s = schedule ?? { cron: '', timezone: 'UTC', inputs: {} };
      return { type: 'schedule', cron: s.cron.trim(), timezone: s.timezone, inputs: s.inputs };
    }),
]);
