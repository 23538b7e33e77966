import type { z } from 'zod';
import type {
  attemptSchema,
  RunOut,
  stepSchema,
  waitSchema,
  workflowDetailSchema,
  workflowSummarySchema,
} from '../../api/schemas/resources.ts';
import type { ErrorRecord } from '../../domain/errors.ts';
import type { LogChunkRecord, QueueSettings } from '../../domain/records.ts';
import type { StepKind } from '../../domain/workflow/types.ts';
import type { WorkflowView } from '../backend/Backend.ts';
import {
  attemptView,
  runView,
  stepView,
  waitView,
  type RunDetailsView,
  type RunView,
} from '../backend/runView.ts';

/** The API's JSON (snake_case, ISO times), typed from its zod schemas; read back into the CLI's views. */
export type ApiRun = RunOut;
export type ApiRunDetails = RunOut & {
  steps: z.infer<typeof stepSchema>[];
  waits: z.infer<typeof waitSchema>[];
  attempts: z.infer<typeof attemptSchema>[];
};
export type ApiWorkflowSummary = z.infer<typeof workflowSummarySchema>;
export type ApiWorkflowDetail = z.infer<typeof workflowDetailSchema>;
export interface ApiPage<T> {
  items: T[];
  next_cursor: string | null;
}
export interface ApiLogChunk {
  attempt: number;
  seq: number;
  stream: LogChunkRecord['stream'];
  data: string;
  created_at: string;
}
export interface ApiQueue {
  paused: boolean;
  paused_reason: string | null;
  max_concurrent: number | null;
  stop_on_failure: boolean;
  updated_at: string | null;
}

const ms = (iso: string): number => Date.parse(iso);
const msOrNull = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
const err = (e: { code: string; message: string } | null): ErrorRecord | null => e as ErrorRecord | null;

export function runFromApi(r: ApiRun): RunView {
  return runView({
    id: r.id,
    workflowName: r.workflow,
    workflowVersion: r.workflow_version,
    status: r.status,
    inputs: r.inputs,
    outputs: r.outputs,
    error: err(r.error),
    priority: r.priority,
    concurrencyKey: r.concurrency_key,
    parentRunId: r.parent_run_id,
    idempotencyKey: r.idempotency_key,
    trigger: r.trigger,
    dryRun: r.dry_run,
    createdBy: r.created_by,
    createdAt: ms(r.created_at),
    startedAt: msOrNull(r.started_at),
    finishedAt: msOrNull(r.finished_at),
    updatedAt: ms(r.updated_at),
  });
}

export function detailsFromApi(d: ApiRunDetails): RunDetailsView {
  return {
    run: runFromApi(d),
    steps: d.steps.map((s) =>
      stepView({
        id: s.id,
        runId: d.id,
        stepKey: s.key,
        kind: s.kind as StepKind,
        position: s.position,
        status: s.status,
        attempt: s.attempt,
        failures: s.failures,
        reclaims: s.reclaims,
        iteration: s.iteration,
        outcome: s.outcome,
        outputs: s.outputs,
        error: err(s.error),
        forced: s.forced,
        startedAt: msOrNull(s.started_at),
        finishedAt: msOrNull(s.finished_at),
        updatedAt: ms(s.updated_at),
      }),
    ),
    waits: d.waits.map((w) =>
      waitView({
        id: w.id,
        runId: w.run_id,
        stepId: w.step_id,
        kind: w.kind,
        status: w.status,
        dueAt: msOrNull(w.due_at),
        payload: w.payload,
        decidedBy: w.decided_by,
        decidedAt: msOrNull(w.decided_at),
        comment: w.comment,
        createdAt: ms(w.created_at),
      }),
    ),
    attempts: d.attempts.map((a) =>
      attemptView({
        stepId: a.step_id,
        runId: d.id,
        attempt: a.attempt,
        iteration: a.iteration,
        owner: a.owner,
        status: a.status,
        exitCode: a.exit_code,
        error: err(a.error),
        startedAt: ms(a.started_at),
        finishedAt: msOrNull(a.finished_at),
      }),
    ),
  };
}

/** A chunk read with `encoding=base64`: the exact bytes. */
export function chunkFromApi(c: ApiLogChunk, stepId: string): LogChunkRecord {
  return {
    stepId,
    attempt: c.attempt,
    seq: c.seq,
    stream: c.stream,
    data: Buffer.from(c.data, 'base64'),
    createdAt: ms(c.created_at),
  };
}

export function queueFromApi(q: ApiQueue): QueueSettings {
  return {
    paused: q.paused,
    pausedReason: q.paused_reason,
    maxConcurrent: q.max_concurrent,
    stopOnFailure: q.stop_on_failure,
    updatedAt: q.updated_at === null ? 0 : ms(q.updated_at),
  };
}

export function workflowFromApi(w: ApiWorkflowSummary, detail: ApiWorkflowDetail | null): WorkflowView {
  return {
    name: w.name,
    version: w.version,
    description: w.description,
    steps: w.steps,
    ...(detail ? { inputs: (detail.definition as { inputs?: unknown }).inputs } : {}),
    origin: w.origin,
    sourcePath: w.source_path,
    updatedAt: ms(w.updated_at),
  };
}
