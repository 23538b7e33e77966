import type {
  AgentEventRecord,
  EventRecord,
  LogChunkRecord,
  Millis,
  NewEvent,
  QueueSettings,
  RunnerRecord,
  RunRecord,
  RunStatus,
  ScheduleRecord,
  StepAttemptRecord,
  StepRecord,
  WaitRecord,
  WorkflowRecord,
} from './storeTypes.ts';
import type { StoredRoleLike } from '../../domain/agents/resolveRole.ts';
import type {
  NewWebhookDelivery,
  PendingWebhookFollowup,
  WebhookDeliveryFilter,
  WebhookDeliveryRecord,
} from './webhookDeliveryTypes.ts';

import type { AgentAttemptRecord, AgentSpend, WorkspaceBudget } from '../../domain/agents/agentAttempt.ts';
import type { IssuePatch, IssueRecord } from '../../domain/issues/issueRecord.ts';

export type * from './storeTypes.ts';
export type * from './webhookDeliveryTypes.ts';

export interface RunFilter {
  status?: RunStatus[];
  workflowName?: string;
  parentRunId?: string;
  /** only runs of these workspaces (the caller's readable ones) */
  workspaceIds?: readonly string[];
  /** only runs of these repositories */
  repositoryIds?: readonly string[];
  since?: Millis;
  /** keyset cursor: runs created strictly before (createdAt, id) */
  before?: { createdAt: Millis; id: string };
  limit: number;
}

/** Events read by the HTTP API: after an id, oldest first; optionally only unprocessed external ones. */
export interface EventFilter {
  afterId: number;
  runId?: string;
  type?: string;
  /** only external events not yet marked processed */
  pendingOnly?: boolean;
  /** only events of these workspaces (the caller's readable ones) */
  workspaceIds?: readonly string[];
  limit: number;
}

/** An outbox event with the processing fields added by migration 002. */
export interface StoredEventRecord extends EventRecord {
  external: boolean;
  processedAt: Millis | null;
}

/** A run as the trigger dispatcher sees it (read without a lock: these fields never change). */
export interface TriggerSource {
  id: string;
  workflowName: string;
  status: RunStatus;
  inputs: Record<string, unknown>;
  parentRunId: string | null;
  /** event hops that led to this run (0: started by hand, by a schedule or by the API) */
  triggerDepth: number;
}

/** A finished step attempt's timing (metrics). */
export interface FinishedAttemptTiming {
  stepId: string;
  attempt: number;
  status: StepAttemptRecord['status'];
  startedAt: Millis;
  finishedAt: Millis;
}

/** Keyset of finished attempts: (finished_at, step_id, attempt). */
export interface AttemptKeyset {
  finishedAt: Millis;
  stepId: string;
  attempt: number;
}

/** Active (not finished) runs of one concurrency key, by status. */
export interface KeyRunCount {
  key: string;
  status: RunStatus;
  count: number;
}

/** A running `agent:` step as its concurrency pools see it (from its rendered spec). */
export interface LeasedAgentStep {
  id: string;
  workspaceId: string | null;
  role: string | null;
  /** null: the role's runtime */
  runtime: string | null;
}

/** Fence of a leased write (DESIGN §3.2): matches no row once the lease is lost. */
export interface LeaseFence {
  stepId: string;
  owner: string;
  attempt: number;
}

/**
 * Everything the engine asks of the database, one named operation per method. All methods of a
 * `StoreTx` run inside one transaction; `Store.transaction` commits or rolls back as a unit.
 */
export interface StoreTx {
  /** run `fn` once the transaction has committed (wake-up hints); at once outside a transaction */
  afterCommit(fn: () => void): void;

  // workflows
  upsertWorkflow(w: WorkflowRecord): Promise<void>;
  getWorkflow(name: string): Promise<WorkflowRecord | undefined>;
  listWorkflows(): Promise<WorkflowRecord[]>;

  // runs
  insertRun(run: RunRecord): Promise<void>;
  /** inside a transaction this also locks the run (PostgreSQL `FOR UPDATE`): read before you change */
  getRun(id: string): Promise<RunRecord | undefined>;
  findRunsByIdPrefix(prefix: string, limit: number): Promise<string[]>;
  listRuns(filter: RunFilter): Promise<RunRecord[]>;
  /** compare-and-set on status: returns false when the run was not in one of `from` */
  updateRun(id: string, patch: Partial<RunRecord>, from?: readonly RunStatus[]): Promise<boolean>;
  /** runs holding a slot of a concurrency key (admitted and not finished) */
  countActiveRunsByKey(key: string): Promise<number>;
  listQueuedRuns(key: string | null, limit: number): Promise<RunRecord[]>;
  listChildRuns(parentStepId: string): Promise<RunRecord[]>;
  /** serialise admission / claims across processes (advisory lock on Postgres; no-op on SQLite) */
  lock(key: string): Promise<void>;

  // steps
  insertSteps(steps: StepRecord[]): Promise<void>;
  getStep(id: string): Promise<StepRecord | undefined>;
  listSteps(runId: string): Promise<StepRecord[]>;
  /** optimistic update: `expect` fields must match (status, lease owner/attempt for fenced writes) */
  updateStep(
    id: string,
    patch: Partial<StepRecord>,
    expect?: { status?: readonly StepRecord['status'][]; fence?: LeaseFence },
  ): Promise<boolean>;
  /** fenced release of a finished attempt's lease; undefined when the lease was lost */
  releaseLease(fence: LeaseFence, now: Millis): Promise<StepRecord | undefined>;
  /** claim up to `limit` queued runnable steps of active runs, ordered by priority then age */
  claimSteps(owner: string, now: Millis, leaseMs: number, limit: number): Promise<StepRecord[]>;
  /** expired leases: running steps whose lease ended before `now` */
  listExpiredLeases(now: Millis, limit: number): Promise<StepRecord[]>;
  /** renew the leases of `stepIds` held by `owner`; returns what was renewed and what to cancel */
  heartbeat(
    owner: string,
    stepIds: string[],
    now: Millis,
    leaseMs: number,
  ): Promise<{ renewed: string[]; cancelled: string[] }>;
  countLeasedSteps(now: Millis): Promise<number>;

  // attempts
  insertAttempts(a: StepAttemptRecord[]): Promise<void>;
  finishAttempt(stepId: string, attempt: number, patch: Partial<StepAttemptRecord>): Promise<void>;
  listAttempts(runId: string): Promise<StepAttemptRecord[]>;

  // waits
  insertWait(w: WaitRecord): Promise<void>;
  getPendingWait(stepId: string): Promise<WaitRecord | undefined>;
  /** compare-and-set pending → status */
  resolveWait(id: string, patch: Partial<WaitRecord>): Promise<boolean>;
  listDueWaits(now: Millis, limit: number): Promise<WaitRecord[]>;
  listPendingWaits(kind: WaitRecord['kind'] | null, limit: number): Promise<WaitRecord[]>;
  listWaits(runId: string): Promise<WaitRecord[]>;

  // events (the outbox)
  insertEvents(events: NewEvent[], now: Millis): Promise<void>;
  listEvents(afterId: number, limit: number, runId?: string): Promise<EventRecord[]>;

  // schedules
  upsertSchedule(s: ScheduleRecord): Promise<void>;
  deleteSchedulesExcept(workflowName: string, keepIds: string[]): Promise<void>;
  listDueSchedules(now: Millis, limit: number): Promise<ScheduleRecord[]>;
  /** compare-and-set on next_at: only one replica moves a slot forward */
  advanceSchedule(id: string, expectedNextAt: Millis, nextAt: Millis, lastSlot: Millis): Promise<boolean>;

  // idempotency
  getIdempotencyKey(
    scope: string,
    key: string,
  ): Promise<{ resourceId: string; requestHash: string } | undefined>;
  insertIdempotencyKey(
    scope: string,
    key: string,
    resourceId: string,
    requestHash: string,
    now: Millis,
  ): Promise<void>;

  // queue
  getQueueSettings(): Promise<QueueSettings>;
  updateQueueSettings(patch: Partial<QueueSettings>): Promise<void>;
  getConcurrencyLimit(key: string): Promise<number | undefined>;
  setConcurrencyLimit(key: string, limit: number | null, now: Millis): Promise<void>;

  // logs
  appendLogs(chunks: LogChunkRecord[]): Promise<void>;
  /** an agent step's transcript events (idempotent per step, attempt and seq) */
  appendAgentEvents(events: AgentEventRecord[]): Promise<void>;
  readAgentEvents(
    stepId: string,
    attempt: number,
    afterSeq: number,
    limit: number,
  ): Promise<AgentEventRecord[]>;
  /** an agent attempt as it starts and as it ends (its session and what it spent) */
  upsertAgentAttempt(a: AgentAttemptRecord): Promise<void>;
  /** the agent attempts of a run (optionally one step's), in start order */
  listAgentAttempts(runId: string, stepKey?: string): Promise<AgentAttemptRecord[]>;
  /** what the agent attempts of a run, or of a workspace since a time, spent */
  sumAgentSpend(scope: { runId: string } | { workspaceId: string; since: Millis }): Promise<AgentSpend>;
  getWorkspaceBudget(workspaceId: string): Promise<WorkspaceBudget | undefined>;
  /** `null` removes the budget */
  setWorkspaceBudget(workspaceId: string, budget: WorkspaceBudget | null): Promise<void>;
  readLogs(
    stepId: string,
    attempt: number | null,
    afterSeq: number,
    limit: number,
  ): Promise<LogChunkRecord[]>;

  // runners
  upsertRunner(r: RunnerRecord): Promise<void>;
  listRunners(): Promise<RunnerRecord[]>;

  // read models of the HTTP API (migration 002)
  /** runs per status (every status present in the table) */
  countRunsByStatus(): Promise<Array<{ status: RunStatus; count: number }>>;
  /** steps per status */
  countStepsByStatus(): Promise<Array<{ status: StepRecord['status']; count: number }>>;
  /** queue depth: queued runnable steps */
  countQueuedSteps(): Promise<number>;
  /** unfinished runs with a concurrency key, per key and status */
  countRunsByKey(): Promise<KeyRunCount[]>;
  /** per-key concurrency limit overrides */
  listConcurrencyLimits(): Promise<Array<{ key: string; limit: number }>>;
  /** outbox events with filters, oldest first after `afterId` */
  listEventsFiltered(filter: EventFilter): Promise<StoredEventRecord[]>;
  getEvent(id: number): Promise<StoredEventRecord | undefined>;
  /** an external event (POST /events); returns it with its id */
  insertExternalEvent(
    e: { type: string; payload: Record<string, unknown>; workspaceId?: string },
    now: Millis,
  ): Promise<StoredEventRecord>;
  /** compare-and-set processed_at on an unprocessed external event */
  markEventProcessed(id: number, now: Millis): Promise<boolean>;
  /** how many events of `type` the outbox holds */
  countEventsByType(type: string): Promise<number>;
  /** pending approval waits, newest first, keyset on (created_at, id) */
  listPendingApprovalsPage(
    before: { createdAt: Millis; id: string } | null,
    limit: number,
    workspaceIds?: readonly string[],
  ): Promise<WaitRecord[]>;
  /** finished attempts after a keyset, oldest first (the step-duration histogram) */
  listFinishedAttempts(after: AttemptKeyset, limit: number): Promise<FinishedAttemptTiming[]>;

  // inbound webhook deliveries (migration 010)
  /**
   * Records a delivery; an `accepted` one whose (source, delivery id) was accepted before is not
   * written and returns undefined (the deduplication of webhook deliveries, DESIGN §3.5).
   */
  insertWebhookDelivery(d: NewWebhookDelivery): Promise<number | undefined>;
  /** recorded deliveries, oldest first after an id */
  listWebhookDeliveries(filter: WebhookDeliveryFilter): Promise<WebhookDeliveryRecord[]>;
  /** the workspaces that registered the repository `owner/name` (case-insensitive), by id */
  listRepositoryWorkspaces(fullName: string): Promise<string[]>;
  /**
   * Takes the follow-up of a delivery for `leaseMs` (migration 013): true when it is pending and
   * nobody holds it (no lease, or an expired one). Whoever takes it carries it out, then finishes it.
   */
  claimWebhookFollowup(id: number, now: Millis, leaseMs: number): Promise<boolean>;
  /** the follow-up is over: done (what it did) or failed (why), once */
  finishWebhookFollowup(id: number, status: 'done' | 'failed', result: string): Promise<void>;
  /** pending follow-ups nobody holds, of deliveries received at or before `receivedBefore`, oldest first */
  listPendingWebhookFollowups(
    now: Millis,
    receivedBefore: Millis,
    limit: number,
  ): Promise<PendingWebhookFollowup[]>;

  // event triggers (migration 005)
  /**
   * The oldest events not yet dispatched to event triggers (external events and run ends), locked
   * for the rest of the transaction: PostgreSQL skips rows another transaction holds.
   */
  claimUndispatchedEvents(limit: number): Promise<StoredEventRecord[]>;
  /** whether any event waits for dispatch (a cheap read before a claiming transaction) */
  hasUndispatchedEvents(): Promise<boolean>;
  /**
   * Compare-and-set of dispatched_at on events not yet dispatched (returns how many); the external
   * events among `consumed` also become processed.
   */
  markEventsDispatched(ids: number[], consumed: number[], now: Millis): Promise<number>;
  getTriggerSource(runId: string): Promise<TriggerSource | undefined>;
  setRunTriggerDepth(runId: string, depth: number): Promise<void>;

  // agent concurrency pools (agentPools.ts)
  /** `agent:` steps holding a live lease (their pools: see agentPools.ts) */
  listLeasedAgentSteps(now: Millis): Promise<LeasedAgentStep[]>;
  /** a role stored in a workspace's catalog (undefined: the built-in, if any, applies) */
  getStoredRole(workspaceId: string, name: string): Promise<StoredRoleLike | undefined>;
  /** the type of a step's latest outbox event */
  getLastStepEventType(runId: string, stepId: string): Promise<string | undefined>;

  // the issue tree (migration 011; issueTreeSystem.ts)
  insertIssue(issue: IssueRecord): Promise<void>;
  /** the issue of these workspaces mirrored as (or filed from) GitHub issue `repository#number` */
  findIssueByGithubIssue(
    workspaceIds: readonly string[],
    repository: string,
    number: number,
  ): Promise<IssueRecord | undefined>;
  getIssue(id: string): Promise<IssueRecord | undefined>;
  /** every issue of one tree, by its root */
  listIssueTree(rootId: string): Promise<IssueRecord[]>;
  /** every issue of the trees a run owns */
  listRunIssues(runId: string): Promise<IssueRecord[]>;
  /** false when there is no such issue */
  updateIssue(id: string, patch: IssuePatch): Promise<boolean>;
  /** the children of `parentId` take positions 0, 1, 2… in the order of `ids` */
  setIssuePositions(parentId: string, ids: readonly string[], now: Millis): Promise<void>;
  /** the next per-workspace issue number (hold the workspace's issue lock) */
  nextIssueNumber(workspaceId: string): Promise<number>;
}

export interface Store extends StoreTx {
  readonly dialect: 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: StoreTx) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** database reachable and migrated */
  ping(signal?: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
  /** `listener` runs after every committed transaction of this process (wake-ups, stream pokes) */
  onCommitted(listener: () => void): () => void;
}
