import type { ErrorRecord } from './errors.ts';
import type { RunStatus } from './runStatus.ts';
import type { StepOutcome, StepStatus } from './stepStatus.ts';
import type { AgentBudget, AgentRuntimeId, StepKind, WorkflowDefinition } from './workflow/types.ts';

/** Times are epoch milliseconds everywhere in the core. */
export type Millis = number;

export type RunTrigger = 'manual' | 'schedule' | 'child' | 'api' | 'event';

export interface WorkflowRecord {
  name: string;
  /** the workspace it belongs to (names are unique across the instance) */
  workspaceId: string;
  version: number;
  definition: WorkflowDefinition;
  source: string;
  origin: 'file' | 'api';
  sourcePath: string | null;
  /** default working directory of `run:` steps */
  baseDir: string | null;
  createdAt: Millis;
  updatedAt: Millis;
}

export interface RunRecord {
  id: string;
  workflowName: string;
  workflowVersion: number;
  /** its workflow's workspace */
  workspaceId: string;
  /** the registered repository it works on (a child run inherits its parent's) */
  repositoryId: string | null;
  definition: WorkflowDefinition;
  status: RunStatus;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  error: ErrorRecord | null;
  priority: number;
  concurrencyKey: string | null;
  concurrencyLimit: number | null;
  parentRunId: string | null;
  parentStepId: string | null;
  /** index of this child within a fan-out */
  parentIndex: number | null;
  idempotencyKey: string | null;
  trigger: RunTrigger;
  dryRun: boolean;
  baseDir: string | null;
  /** how many times each `on:` route was taken: key `${stepKey}->${goto}` */
  loopCounts: Record<string, number>;
  createdBy: string | null;
  createdAt: Millis;
  startedAt: Millis | null;
  finishedAt: Millis | null;
  updatedAt: Millis;
}

export interface StepRecord {
  id: string;
  runId: string;
  stepKey: string;
  kind: StepKind;
  /** order in the definition */
  position: number;
  status: StepStatus;
  /** claims so far (each claim or reclaim is a new attempt) */
  attempt: number;
  /** failed attempts counted against the retry policy */
  failures: number;
  /** attempts lost to an expired lease */
  reclaims: number;
  /** incremented each time `on:` routing re-opens the step */
  iteration: number;
  availableAt: Millis;
  priority: number;
  leaseOwner: string | null;
  leaseExpiresAt: Millis | null;
  outcome: StepOutcome | null;
  outputs: Record<string, unknown> | null;
  error: ErrorRecord | null;
  /** set when force-advanced or manually resolved */
  forced: boolean;
  /** rendered when the step is queued (runnable steps only) */
  spec: StepExecSpec | null;
  startedAt: Millis | null;
  finishedAt: Millis | null;
  updatedAt: Millis;
}

/** An `agent:` step, rendered when it is queued (the runner resolves the role from the catalog). */
export interface AgentExecSpec {
  /** the run's workspace: whose role catalog applies */
  workspaceId: string;
  role: string | null;
  runtime: AgentRuntimeId | null;
  model: string | null;
  /** a named endpoint of the server's config */
  endpoint?: string;
  /** continue the latest session of this step (by key) */
  continueStep?: string;
  /** server environment variables granted to the agent (names) */
  secrets?: string[];
  /** Jules / Cursor: the rendered source repository and branch */
  source?: { repository: string; branch?: string };
  /** the workflow's budget shared by all agent steps of the run */
  runBudget?: { tokens?: number; usd?: number };
  /** the rendered task */
  prompt: string;
  maxTurns?: number;
  allowedTools?: string[];
  disallowedTools?: string[];
  budget: AgentBudget;
  /** commit (and push) the agent's work host-side once it is done; templates rendered */
  commit?: { message?: string; push: boolean; repository?: string; onFailure: boolean };
}

/** A `uses:` step's action with its rendered `with:` (checked by the action runner). */
export interface UsesExecSpec {
  action: string;
  with: Record<string, unknown>;
  /** the run's workspace: whose repositories the action may name */
  workspaceId: string;
}

/** What a runner needs to execute a `run:` or `agent:` step; rendered from templates when the step is queued. */
export interface StepExecSpec {
  /** set for `uses:` steps (`command` is then empty) */
  uses?: UsesExecSpec;
  /** set for `agent:` steps (`command` is then empty) */
  agent?: AgentExecSpec;
  command: string;
  shell?: string;
  /** working directory; null = the run's base directory */
  cwd: string | null;
  /** rendered workflow + step env (the runner adds PATH, HOME and BATON_*) */
  env: Record<string, string>;
  timeoutMs?: number;
  dryRun: boolean;
  workflowName: string;
  /**
   * `uses:` steps: how many failed attempts the step's retry policy runs again (0: a failure is
   * final). With the step's `failures` it tells an action whether another attempt will follow.
   */
  failureRetries?: number;
}

export type AttemptStatus = 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'lease_expired';

export interface StepAttemptRecord {
  stepId: string;
  runId: string;
  attempt: number;
  iteration: number;
  owner: string | null;
  status: AttemptStatus;
  exitCode: number | null;
  error: ErrorRecord | null;
  outputs: Record<string, unknown> | null;
  startedAt: Millis;
  finishedAt: Millis | null;
}

export type WaitKind = 'approval' | 'timer' | 'children' | 'event';
export type WaitStatus = 'pending' | 'approved' | 'rejected' | 'timed_out' | 'resolved' | 'cancelled';

export interface WaitRecord {
  id: string;
  runId: string;
  stepId: string;
  kind: WaitKind;
  status: WaitStatus;
  dueAt: Millis | null;
  payload: Record<string, unknown>;
  decidedBy: string | null;
  decidedAt: Millis | null;
  comment: string | null;
  createdAt: Millis;
}

export interface EventRecord {
  id: number;
  runId: string | null;
  stepId: string | null;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Millis;
  /** the run's workspace (or the external event's); set by the store */
  workspaceId?: string | null;
}

export type NewEvent = Omit<EventRecord, 'id' | 'createdAt' | 'workspaceId'>;

export interface ScheduleRecord {
  id: string;
  workflowName: string;
  cron: string;
  timezone: string;
  inputs: Record<string, unknown>;
  nextAt: Millis;
  lastSlot: Millis | null;
  enabled: boolean;
  updatedAt: Millis;
}

export interface LogChunkRecord {
  stepId: string;
  attempt: number;
  seq: number;
  stream: 'stdout' | 'stderr' | 'system';
  data: Buffer;
  createdAt: Millis;
}

export interface QueueSettings {
  paused: boolean;
  pausedReason: string | null;
  maxConcurrent: number | null;
  stopOnFailure: boolean;
  updatedAt: Millis;
}

export interface RunnerRecord {
  id: string;
  hostname: string;
  pid: number;
  startedAt: Millis;
  heartbeatAt: Millis;
  stoppedAt: Millis | null;
}

/** One stored transcript event of an agent step attempt (the event is transcript format v1). */
export interface AgentEventRecord {
  stepId: string;
  attempt: number;
  seq: number;
  kind: string;
  event: Record<string, unknown>;
  createdAt: Millis;
}
