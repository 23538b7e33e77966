import type {
  EventRecord,
  LogChunkRecord,
  QueueSettings,
  RunnerRecord,
  RunRecord,
  ScheduleRecord,
  StepAttemptRecord,
  StepRecord,
  WaitRecord,
  WorkflowRecord,
} from '../domain/records.ts';
import type { Database, JsonText } from './schema.ts';
import type { Selectable } from 'kysely';

/** JSON columns: written as text (jsonb accepts it), read back as text (SQLite) or parsed (pg). */
export const toJson = (v: unknown): string => JSON.stringify(v);
export function fromJson<T>(v: JsonText | null | undefined): T {
  if (v === null || v === undefined) return null as T;
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}
const optJson = (v: unknown) => (v === null || v === undefined ? null : toJson(v));
const bool = (v: number | boolean) => v === true || v === 1;
const int = (v: boolean) => (v ? 1 : 0);

type Row<T extends keyof Database> = Selectable<Database[T]>;

export function workflowFromRow(r: Row<'workflows'>): WorkflowRecord {
  return {
    name: r.name,
    workspaceId: r.workspace_id,
    version: r.version,
    definition: fromJson(r.definition),
    source: r.source,
    origin: r.origin as WorkflowRecord['origin'],
    sourcePath: r.source_path,
    baseDir: r.base_dir,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function workflowToRow(w: WorkflowRecord): Row<'workflows'> {
  return {
    name: w.name,
    workspace_id: w.workspaceId,
    version: w.version,
    definition: toJson(w.definition),
    source: w.source,
    origin: w.origin,
    source_path: w.sourcePath,
    base_dir: w.baseDir,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}

const RUN_COLUMNS: Record<keyof RunRecord, keyof Row<'runs'>> = {
  id: 'id',
  workflowName: 'workflow_name',
  workflowVersion: 'workflow_version',
  workspaceId: 'workspace_id',
  repositoryId: 'repository_id',
  definition: 'definition',
  status: 'status',
  inputs: 'inputs',
  outputs: 'outputs',
  error: 'error',
  priority: 'priority',
  concurrencyKey: 'concurrency_key',
  concurrencyLimit: 'concurrency_limit',
  parentRunId: 'parent_run_id',
  parentStepId: 'parent_step_id',
  parentIndex: 'parent_index',
  idempotencyKey: 'idempotency_key',
  trigger: 'trigger',
  dryRun: 'dry_run',
  baseDir: 'base_dir',
  loopCounts: 'loop_counts',
  createdBy: 'created_by',
  createdAt: 'created_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  updatedAt: 'updated_at',
};
const RUN_JSON = new Set<keyof RunRecord>(['definition', 'inputs', 'outputs', 'error', 'loopCounts']);

export function runFromRow(r: Row<'runs'>): RunRecord {
  return {
    id: r.id,
    workflowName: r.workflow_name,
    workflowVersion: r.workflow_version,
    workspaceId: r.workspace_id,
    repositoryId: r.repository_id ?? null,
    definition: fromJson(r.definition),
    status: r.status as RunRecord['status'],
    inputs: fromJson(r.inputs),
    outputs: fromJson(r.outputs),
    error: fromJson(r.error),
    priority: r.priority,
    concurrencyKey: r.concurrency_key,
    concurrencyLimit: r.concurrency_limit,
    parentRunId: r.parent_run_id,
    parentStepId: r.parent_step_id,
    parentIndex: r.parent_index,
    idempotencyKey: r.idempotency_key,
    trigger: r.trigger as RunRecord['trigger'],
    dryRun: bool(r.dry_run),
    baseDir: r.base_dir,
    loopCounts: fromJson(r.loop_counts),
    createdBy: r.created_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    updatedAt: r.updated_at,
  };
}

export function runPatchToRow(p: Partial<RunRecord>): Partial<Row<'runs'>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p) as [keyof RunRecord, unknown][]) {
    if (v === undefined) continue;
    const col = RUN_COLUMNS[k];
    out[col] = RUN_JSON.has(k) ? optJson(v) : k === 'dryRun' ? int(v as boolean) : v;
  }
  return out;
}

export const runToRow = (r: RunRecord) => runPatchToRow(r) as Row<'runs'>;

const STEP_COLUMNS: Record<keyof StepRecord, keyof Row<'steps'>> = {
  id: 'id',
  runId: 'run_id',
  stepKey: 'step_key',
  kind: 'kind',
  position: 'position',
  status: 'status',
  attempt: 'attempt',
  failures: 'failures',
  reclaims: 'reclaims',
  iteration: 'iteration',
  availableAt: 'available_at',
  priority: 'priority',
  leaseOwner: 'lease_owner',
  leaseExpiresAt: 'lease_expires_at',
  outcome: 'outcome',
  outputs: 'outputs',
  error: 'error',
  forced: 'forced',
  spec: 'spec',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  updatedAt: 'updated_at',
};
const STEP_JSON = new Set<keyof StepRecord>(['outputs', 'error', 'spec']);

export function stepFromRow(r: Row<'steps'>): StepRecord {
  return {
    id: r.id,
    runId: r.run_id,
    stepKey: r.step_key,
    kind: r.kind as StepRecord['kind'],
    position: r.position,
    status: r.status as StepRecord['status'],
    attempt: r.attempt,
    failures: r.failures,
    reclaims: r.reclaims,
    iteration: r.iteration,
    availableAt: r.available_at,
    priority: r.priority,
    leaseOwner: r.lease_owner,
    leaseExpiresAt: r.lease_expires_at,
    outcome: r.outcome as StepRecord['outcome'],
    outputs: fromJson(r.outputs),
    error: fromJson(r.error),
    forced: bool(r.forced),
    spec: fromJson(r.spec),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    updatedAt: r.updated_at,
  };
}

export function stepPatchToRow(p: Partial<StepRecord>): Partial<Row<'steps'>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p) as [keyof StepRecord, unknown][]) {
    if (v === undefined) continue;
    out[STEP_COLUMNS[k]] = STEP_JSON.has(k) ? optJson(v) : k === 'forced' ? int(v as boolean) : v;
  }
  return out;
}

export function stepToRow(s: StepRecord): Row<'steps'> {
  return {
    ...(stepPatchToRow(s) as Row<'steps'>),
    runnable: s.kind === 'run' || s.kind === 'agent' || s.kind === 'uses' ? 1 : 0,
  };
}

export function attemptFromRow(r: Row<'step_attempts'>): StepAttemptRecord {
  return {
    stepId: r.step_id,
    runId: r.run_id,
    attempt: r.attempt,
    iteration: r.iteration,
    owner: r.owner,
    status: r.status as StepAttemptRecord['status'],
    exitCode: r.exit_code,
    error: fromJson(r.error),
    outputs: fromJson(r.outputs),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export function attemptPatchToRow(p: Partial<StepAttemptRecord>): Partial<Row<'step_attempts'>> {
  const map: Record<keyof StepAttemptRecord, keyof Row<'step_attempts'>> = {
    stepId: 'step_id',
    runId: 'run_id',
    attempt: 'attempt',
    iteration: 'iteration',
    owner: 'owner',
    status: 'status',
    exitCode: 'exit_code',
    error: 'error',
    outputs: 'outputs',
    startedAt: 'started_at',
    finishedAt: 'finished_at',
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p) as [keyof StepAttemptRecord, unknown][]) {
    if (v === undefined) continue;
    out[map[k]] = k === 'error' || k === 'outputs' ? optJson(v) : v;
  }
  return out;
}

export function waitFromRow(r: Row<'waits'>): WaitRecord {
  return {
    id: r.id,
    runId: r.run_id,
    stepId: r.step_id,
    kind: r.kind as WaitRecord['kind'],
    status: r.status as WaitRecord['status'],
    dueAt: r.due_at,
    payload: fromJson(r.payload),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    comment: r.comment,
    createdAt: r.created_at,
  };
}

export function waitToRow(w: Partial<WaitRecord>): Partial<Row<'waits'>> {
  const map: Record<keyof WaitRecord, keyof Row<'waits'>> = {
    id: 'id',
    runId: 'run_id',
    stepId: 'step_id',
    kind: 'kind',
    status: 'status',
    dueAt: 'due_at',
    payload: 'payload',
    decidedBy: 'decided_by',
    decidedAt: 'decided_at',
    comment: 'comment',
    createdAt: 'created_at',
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(w) as [keyof WaitRecord, unknown][]) {
    if (v === undefined) continue;
    out[map[k]] = k === 'payload' ? toJson(v) : v;
  }
  return out;
}

export function eventFromRow(r: Row<'events'>): EventRecord {
  return {
    id: Number(r.id),
    runId: r.run_id,
    stepId: r.step_id,
    type: r.type,
    payload: fromJson(r.payload),
    createdAt: r.created_at,
    workspaceId: r.workspace_id ?? null,
  };
}

export function scheduleFromRow(r: Row<'schedules'>): ScheduleRecord {
  return {
    id: r.id,
    workflowName: r.workflow_name,
    cron: r.cron,
    timezone: r.timezone,
    inputs: fromJson(r.inputs),
    nextAt: r.next_at,
    lastSlot: r.last_slot,
    enabled: bool(r.enabled),
    updatedAt: r.updated_at,
  };
}

export function logFromRow(r: Row<'step_logs'>): LogChunkRecord {
  return {
    stepId: r.step_id,
    attempt: r.attempt,
    seq: r.seq,
    stream: r.stream as LogChunkRecord['stream'],
    data: Buffer.isBuffer(r.data) ? r.data : Buffer.from(r.data),
    createdAt: r.created_at,
  };
}

export function queueSettingsFromRow(r: Row<'queue_settings'>): QueueSettings {
  return {
    paused: bool(r.paused),
    pausedReason: r.paused_reason,
    maxConcurrent: r.max_concurrent,
    stopOnFailure: bool(r.stop_on_failure),
    updatedAt: r.updated_at,
  };
}

export function runnerFromRow(r: Row<'runners'>): RunnerRecord {
  return {
    id: r.id,
    hostname: r.hostname,
    pid: r.pid,
    startedAt: r.started_at,
    heartbeatAt: r.heartbeat_at,
    stoppedAt: r.stopped_at,
  };
}
