import { z } from 'zod';
import { parseIsoTime } from './parseTime.ts';
import { APPROVAL_STATES, TASK_STATUSES, type TaskStatus } from './ledgerTypes.ts';

/** A time in: ISO-8601 (UTC when no offset) or epoch milliseconds; out: epoch ms. */
export const timeIn = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : parseIsoTime(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date-time such as 2025-01-31T12:00:00Z' });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: 'ISO-8601 date-time (UTC when no offset is given) or epoch milliseconds' });

const statusList = z
  .string()
  .transform((s, ctx) => {
    const parts = s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const bad = parts.find((p) => !(TASK_STATUSES as readonly string[]).includes(p));
    if (bad !== undefined || parts.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be one of ${TASK_STATUSES.join(', ')} (comma-separated for several)`,
      });
      return z.NEVER;
    }
    return parts as TaskStatus[];
  })
  .meta({ description: `one status or several, comma-separated: ${TASK_STATUSES.join(', ')}` });

const fields = {
  run_id: z.string().min(1).max(200).nullable(),
  status: z.enum(TASK_STATUSES),
  started_at: timeIn.nullable(),
  finished_at: timeIn.nullable(),
  duration_ms: z.number().int().nonnegative().nullable(),
  inputs: z.json().nullable(),
  outputs_uri: z.string().max(4096).nullable(),
  log_excerpt: z.string().max(65_536).nullable(),
  approval_state: z.enum(APPROVAL_STATES).nullable(),
  approver: z.string().max(200).nullable(),
};

/** `POST /agents/tasks/` (unknown keys are ignored, as the scripts' original server did). */
export const createTaskBody = z.object({
  task: z.string().trim().min(1, 'must not be empty').max(500),
  run_id: fields.run_id.optional(),
  status: fields.status.default('queued'),
  started_at: fields.started_at.optional(),
  finished_at: fields.finished_at.optional(),
  duration_ms: fields.duration_ms.optional(),
  inputs: fields.inputs.optional(),
  outputs_uri: fields.outputs_uri.optional(),
  log_excerpt: fields.log_excerpt.optional(),
  approval_state: fields.approval_state.optional(),
  approver: fields.approver.optional(),
});
export type CreateTaskBody = z.output<typeof createTaskBody>;

/** `PATCH /agents/tasks/{id}`: every field optional; `null` clears a nullable one. */
export const patchTaskBody = z.object({
  task: z.string().trim().min(1, 'must not be empty').max(500).optional(),
  run_id: fields.run_id.optional(),
  status: fields.status.optional(),
  started_at: timeIn.optional(),
  finished_at: fields.finished_at.optional(),
  duration_ms: fields.duration_ms.optional(),
  inputs: fields.inputs.optional(),
  outputs_uri: fields.outputs_uri.optional(),
  log_excerpt: fields.log_excerpt.optional(),
  approval_state: fields.approval_state.optional(),
  approver: fields.approver.optional(),
});
export type PatchTaskBody = z.output<typeof patchTaskBody>;

export const taskIdParams = z.object({ id: z.string().min(1).max(100) });

export const listTasksQuery = z.object({
  run_id: z.string().min(1).optional(),
  status: statusList.optional(),
  task: z.string().min(1).optional(),
  since: timeIn.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const pagedTasksQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  since: timeIn.optional().describe('only tasks with started_at ≥ since'),
  status: statusList.optional(),
  task: z.string().min(1).optional(),
  run_id: z.string().min(1).optional(),
  cursor: z.string().min(1).max(1000).optional().describe('next_cursor of the previous page'),
});

export const CSV_MAX_ROWS = 10_000;

export const csvTasksQuery = pagedTasksQuery.extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(CSV_MAX_ROWS)
    .transform((n) => Math.min(n, CSV_MAX_ROWS))
    .describe(`rows to export; at most ${CSV_MAX_ROWS}`),
});

export const taskOut = z.object({
  id: z.string(),
  task: z.string(),
  run_id: z.string().nullable(),
  step_id: z
    .string()
    .nullable()
    .describe('the Baton step this row mirrors; null for tasks reported through the API'),
  status: z.enum(TASK_STATUSES),
  started_at: z.string().describe('ISO-8601; the creation time until the task starts'),
  finished_at: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  inputs: z.json().nullable(),
  outputs_uri: z.string().nullable(),
  log_excerpt: z.string().nullable(),
  approval_state: z.enum(APPROVAL_STATES).nullable(),
  approver: z.string().nullable(),
  webhook_notified_at: z.string().nullable(),
  webhook_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  workspace: z.string().describe("the row's workspace (its run's, or the reporting token's)"),
});
export type TaskOut = z.infer<typeof taskOut>;

export const pageOut = z.object({ items: z.array(taskOut), next_cursor: z.string().nullable() });

/** Columns of the CSV export, in order (the header row). */
export const CSV_COLUMNS = Object.keys(taskOut.shape) as Array<keyof TaskOut>;
