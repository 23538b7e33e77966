import type { ErrorRecord } from '../../domain/errors.ts';
import type {
  QueueSettings,
  RunRecord,
  StepAttemptRecord,
  StepRecord,
  WaitRecord,
} from '../../domain/records.ts';

/**
 * What the CLI shows of a run, the same whether it reads the database or the HTTP API: the fields
 * both have. The pickers below build every object with the same keys in the same order, so
 * `--json` output is identical in both modes.
 */
export type RunView = Pick<
  RunRecord,
  | 'id'
  | 'workflowName'
  | 'workflowVersion'
  | 'status'
  | 'inputs'
  | 'outputs'
  | 'error'
  | 'priority'
  | 'concurrencyKey'
  | 'parentRunId'
  | 'idempotencyKey'
  | 'trigger'
  | 'dryRun'
  | 'createdBy'
  | 'createdAt'
  | 'startedAt'
  | 'finishedAt'
  | 'updatedAt'
>;

export type StepView = Pick<
  StepRecord,
  | 'id'
  | 'runId'
  | 'stepKey'
  | 'kind'
  | 'position'
  | 'status'
  | 'attempt'
  | 'failures'
  | 'reclaims'
  | 'iteration'
  | 'outcome'
  | 'outputs'
  | 'error'
  | 'forced'
  | 'startedAt'
  | 'finishedAt'
  | 'updatedAt'
>;

export type AttemptView = Pick<
  StepAttemptRecord,
  | 'stepId'
  | 'runId'
  | 'attempt'
  | 'iteration'
  | 'owner'
  | 'status'
  | 'exitCode'
  | 'error'
  | 'startedAt'
  | 'finishedAt'
>;

export type WaitView = WaitRecord;

export interface RunDetailsView {
  run: RunView;
  steps: StepView[];
  waits: WaitView[];
  attempts: AttemptView[];
}

export function runView(r: RunView): RunView {
  return {
    id: r.id,
    workflowName: r.workflowName,
    workflowVersion: r.workflowVersion,
    status: r.status,
    inputs: r.inputs,
    outputs: r.outputs,
    error: errorView(r.error),
    priority: r.priority,
    concurrencyKey: r.concurrencyKey,
    parentRunId: r.parentRunId,
    idempotencyKey: r.idempotencyKey,
    trigger: r.trigger,
    dryRun: r.dryRun,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    updatedAt: r.updatedAt,
  };
}

export function stepView(s: StepView): StepView {
  return {
    id: s.id,
    runId: s.runId,
    stepKey: s.stepKey,
    kind: s.kind,
    position: s.position,
    status: s.status,
    attempt: s.attempt,
    failures: s.failures,
    reclaims: s.reclaims,
    iteration: s.iteration,
    outcome: s.outcome,
    outputs: s.outputs,
    error: errorView(s.error),
    forced: s.forced,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    updatedAt: s.updatedAt,
  };
}

export function attemptView(a: AttemptView): AttemptView {
  return {
    stepId: a.stepId,
    runId: a.runId,
    attempt: a.attempt,
    iteration: a.iteration,
    owner: a.owner,
    status: a.status,
    exitCode: a.exitCode,
    error: errorView(a.error),
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
  };
}

export function waitView(w: WaitView): WaitView {
  return {
    id: w.id,
    runId: w.runId,
    stepId: w.stepId,
    kind: w.kind,
    status: w.status,
    dueAt: w.dueAt,
    payload: w.payload,
    decidedBy: w.decidedBy,
    decidedAt: w.decidedAt,
    comment: w.comment,
    createdAt: w.createdAt,
  };
}

export function detailsView(d: RunDetailsView): RunDetailsView {
  return {
    run: runView(d.run),
    steps: d.steps.map(stepView),
    waits: d.waits.map(waitView),
    attempts: d.attempts.map(attemptView),
  };
}

export function queueView(q: QueueSettings): QueueSettings {
  return {
    paused: q.paused,
    pausedReason: q.pausedReason,
    maxConcurrent: q.maxConcurrent,
    stopOnFailure: q.stopOnFailure,
    updatedAt: q.updatedAt,
  };
}

function errorView(e: ErrorRecord | null): ErrorRecord | null {
  if (e === null) return null;
  return {
    code: e.code,
    message: e.message,
    ...(e.retryable === undefined ? {} : { retryable: e.retryable }),
    ...(e.details === undefined ? {} : { details: e.details }),
  };
}
