import { z } from 'zod';
import type { ErrorRecord } from '../../domain/errors.ts';
import type {
  EventRecord,
  RunRecord,
  StepAttemptRecord,
  StepRecord,
  WaitRecord,
  WorkflowRecord,
} from '../../domain/records.ts';
import { RUN_STATUSES } from '../../domain/runStatus.ts';
import { STEP_OUTCOMES, STEP_STATUSES } from '../../domain/stepStatus.ts';
import type { StoredEventRecord } from '../../engine/ports/store.ts';
import { isoTime, jsonObject, nullableTime, toIso, toIsoOrNull } from './common.ts';

export const runStatusSchema = z.enum(RUN_STATUSES);
export const stepStatusSchema = z.enum(STEP_STATUSES);

export const errorRecordSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean().optional(),
  details: jsonObject.optional(),
});
const errorOut = (e: ErrorRecord | null) =>
  e === null
    ? null
    : {
        code: e.code,
        message: e.message,
        ...(e.retryable === undefined ? {} : { retryable: e.retryable }),
        ...(e.details === undefined ? {} : { details: e.details }),
      };

export const runSchema = z.object({
  id: z.string(),
  workflow: z.string(),
  workflow_version: z.number().int(),
  workspace: z.string(),
  repository_id: z.string().nullable(),
  status: runStatusSchema,
  inputs: jsonObject,
  outputs: jsonObject.nullable(),
  error: errorRecordSchema.nullable(),
  priority: z.number().int(),
  concurrency_key: z.string().nullable(),
  parent_run_id: z.string().nullable(),
  idempotency_key: z.string().nullable(),
  trigger: z.enum(['manual', 'schedule', 'child', 'api', 'event']),
  dry_run: z.boolean(),
  created_by: z.string().nullable(),
  created_at: isoTime,
  started_at: nullableTime,
  finished_at: nullableTime,
  updated_at: isoTime,
});
export type RunOut = z.infer<typeof runSchema>;

export function runOut(r: RunRecord): RunOut {
  return {
    id: r.id,
    workflow: r.workflowName,
    workflow_version: r.workflowVersion,
    workspace: r.workspaceId,
    repository_id: r.repositoryId,
    status: r.status,
    inputs: r.inputs,
    outputs: r.outputs,
    error: errorOut(r.error),
    priority: r.priority,
    concurrency_key: r.concurrencyKey,
    parent_run_id: r.parentRunId,
    idempotency_key: r.idempotencyKey,
    trigger: r.trigger,
    dry_run: r.dryRun,
    created_by: r.createdBy,
    created_at: toIso(r.createdAt),
    started_at: toIsoOrNull(r.startedAt),
    finished_at: toIsoOrNull(r.finishedAt),
    updated_at: toIso(r.updatedAt),
  };
}

export const stepSchema = z.object({
  id: z.string(),
  key: z.string(),
  kind: z.string(),
  position: z.number().int(),
  status: stepStatusSchema,
  outcome: z.enum(STEP_OUTCOMES).nullable(),
  attempt: z.number().int(),
  failures: z.number().int(),
  reclaims: z.number().int(),
  iteration: z.number().int(),
  forced: z.boolean(),
  outputs: jsonObject.nullable(),
  error: errorRecordSchema.nullable(),
  started_at: nullableTime,
  finished_at: nullableTime,
  updated_at: isoTime,
});

export function stepOut(s: StepRecord): z.infer<typeof stepSchema> {
  return {
    id: s.id,
    key: s.stepKey,
    kind: s.kind,
    position: s.position,
    status: s.status,
    outcome: s.outcome,
    attempt: s.attempt,
    failures: s.failures,
    reclaims: s.reclaims,
    iteration: s.iteration,
    forced: s.forced,
    outputs: s.outputs,
    error: errorOut(s.error),
    started_at: toIsoOrNull(s.startedAt),
    finished_at: toIsoOrNull(s.finishedAt),
    updated_at: toIso(s.updatedAt),
  };
}

export const attemptSchema = z.object({
  step_id: z.string(),
  attempt: z.number().int(),
  iteration: z.number().int(),
  owner: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'lease_expired']),
  exit_code: z.number().int().nullable(),
  error: errorRecordSchema.nullable(),
  started_at: isoTime,
  finished_at: nullableTime,
});

export function attemptOut(a: StepAttemptRecord): z.infer<typeof attemptSchema> {
  return {
    step_id: a.stepId,
    attempt: a.attempt,
    iteration: a.iteration,
    owner: a.owner,
    status: a.status,
    exit_code: a.exitCode,
    error: errorOut(a.error),
    started_at: toIso(a.startedAt),
    finished_at: toIsoOrNull(a.finishedAt),
  };
}

export const waitSchema = z.object({
  id: z.string(),
  run_id: z.string(),
  step_id: z.string(),
  kind: z.enum(['approval', 'timer', 'children', 'event']),
  status: z.enum(['pending', 'approved', 'rejected', 'timed_out', 'resolved', 'cancelled']),
  due_at: nullableTime,
  payload: jsonObject,
  decided_by: z.string().nullable(),
  decided_at: nullableTime,
  comment: z.string().nullable(),
  created_at: isoTime,
});

export function waitOut(w: WaitRecord): z.infer<typeof waitSchema> {
  return {
    id: w.id,
    run_id: w.runId,
    step_id: w.stepId,
    kind: w.kind,
    status: w.status,
    due_at: toIsoOrNull(w.dueAt),
    payload: w.payload,
    decided_by: w.decidedBy,
    decided_at: toIsoOrNull(w.decidedAt),
    comment: w.comment,
    created_at: toIso(w.createdAt),
  };
}

export const eventSchema = z.object({
  id: z.number().int(),
  run_id: z.string().nullable(),
  step_id: z.string().nullable(),
  type: z.string(),
  payload: jsonObject,
  created_at: isoTime,
  workspace: z.string().nullable(),
  external: z.boolean().optional(),
  processed_at: nullableTime.optional(),
});

export function eventOut(e: EventRecord | StoredEventRecord): z.infer<typeof eventSchema> {
  return {
    id: e.id,
    run_id: e.runId,
    step_id: e.stepId,
    type: e.type,
    payload: e.payload,
    created_at: toIso(e.createdAt),
    workspace: e.workspaceId ?? null,
    ...('external' in e ? { external: e.external, processed_at: toIsoOrNull(e.processedAt) } : {}),
  };
}

export const workflowSummarySchema = z.object({
  name: z.string(),
  workspace: z.string(),
  version: z.number().int(),
  description: z.string().nullable(),
  origin: z.enum(['file', 'api']),
  source_path: z.string().nullable(),
  steps: z.number().int(),
  created_at: isoTime,
  updated_at: isoTime,
});

export function workflowSummaryOut(w: WorkflowRecord): z.infer<typeof workflowSummarySchema> {
  const d = w.definition as { description?: unknown; steps: unknown[] };
  return {
    name: w.name,
    workspace: w.workspaceId,
    version: w.version,
    description: typeof d.description === 'string' ? d.description : null,
    origin: w.origin,
    source_path: w.sourcePath,
    steps: d.steps.length,
    created_at: toIso(w.createdAt),
    updated_at: toIso(w.updatedAt),
  };
}

export const workflowDetailSchema = workflowSummarySchema.extend({
  definition: jsonObject,
  source: z.string(),
});

export function workflowDetailOut(w: WorkflowRecord): z.infer<typeof workflowDetailSchema> {
  return {
    ...workflowSummaryOut(w),
    definition: JSON.parse(JSON.stringify(w.definition)) as Record<string, unknown>,
    source: w.source,
  };
}

export const workflowIssueSchema = z.object({
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  path: z.string(),
  message: z.string(),
});
