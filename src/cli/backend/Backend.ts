import type { LogChunkRecord, QueueSettings, RunnerRecord } from '../../domain/records.ts';
import type { RunStatus } from '../../domain/runStatus.ts';
import type { RunDetailsView, RunView } from './runView.ts';

/**
 * What the commands need from Baton, in two implementations: `DirectBackend` (the database, through
 * the engine, as `baton` always did) and `HttpBackend` (a Baton server's `/api/v1`, with `--server`
 * or BATON_SERVER). Runs are named by a full id or a unique prefix (see normalizeRunArg). Every call
 * takes an AbortSignal.
 */
export interface Backend {
  /** 'local' or the server URL, for messages */
  readonly where: string;
  readonly remote: boolean;

  getRun(run: string, signal?: AbortSignal): Promise<RunDetailsView>;
  listRuns(q: RunListQuery, signal?: AbortSignal): Promise<RunPage>;
  readLogs(q: LogQuery, signal?: AbortSignal): Promise<LogChunkRecord[]>;
  changeRun(run: string, change: RunChange, signal?: AbortSignal): Promise<ChangedRun>;
  /** the shortest natural prefix of the id that names only this run (TTY progress) */
  uniqueRunPrefix(id: string, signal?: AbortSignal): Promise<string>;

  startRun(req: StartRunRequest, signal?: AbortSignal): Promise<StartedRun>;
  listWorkflows(o: { withInputs: boolean }, signal?: AbortSignal): Promise<WorkflowView[]>;

  queueStatus(signal?: AbortSignal): Promise<QueueStatus>;
  updateQueue(patch: QueuePatch, by: string, signal?: AbortSignal): Promise<QueueSettings>;
  /** per-key concurrency limits (`concurrency_limits`: workflow keys and `runtime:`/`provider:` agent pools) */
  listKeyLimits(signal?: AbortSignal): Promise<KeyLimit[]>;
  /** set, or clear with null, the limit of one key */
  setKeyLimit(key: string, limit: number | null, by: string, signal?: AbortSignal): Promise<void>;

  /** wakes a follower when the run may have changed (polling locally, the event stream remotely) */
  watchRun(runId: string, signal: AbortSignal): RunWatch;
}

export interface RunListQuery {
  status: RunStatus[];
  workflow?: string | undefined;
  limit: number;
  /** from the previous page (its format differs between the modes) */
  cursor?: string | undefined;
}

export interface RunPage {
  runs: RunView[];
  nextCursor: string | null;
}

export interface LogQuery {
  runId: string;
  stepId: string;
  stepKey: string;
  attempt: number;
  afterSeq: number;
  limit: number;
}

type Why = { by: string; reason?: string | undefined };
export type RunChange =
  | ({ action: 'cancel' | 'pause' | 'resume' } & Why)
  | ({ action: 'advance'; step?: string | undefined } & Why)
  | ({ action: 'retry'; step: string } & Why)
  | { action: 'approve' | 'reject'; step: string; by: string; comment?: string | undefined };

export interface ChangedRun {
  run: RunView;
  /** a runner is alive to carry the run on (always true for a server) */
  live: boolean;
  /** approve/reject: who the decision was recorded for (a server records its caller) */
  decidedBy?: string | undefined;
}

export interface StartRunRequest {
  /** a registered name, or the path of a workflow file */
  workflow: string;
  cwd: string;
  /** local mode: the repository's and configured workflow directories */
  workflowDirs: readonly string[];
  inputs: Record<string, unknown>;
  idempotencyKey?: string | undefined;
  priority?: number | undefined;
  dryRun: boolean;
  by: string;
}

export interface StartedRun {
  run: RunView;
  /** false when the idempotency key matched an earlier run */
  created: boolean;
  /** workflow file warnings, formatted */
  warnings: string[];
  /** notes on how the workflow was resolved (e.g. a file uploaded to the server) */
  notes: string[];
}

export interface WorkflowView {
  name: string;
  version: number;
  description: string | null;
  steps: number;
  /** the declared inputs (when asked for) */
  inputs?: unknown;
  origin: 'file' | 'api';
  sourcePath: string | null;
  updatedAt: number;
}

export interface QueueStatus {
  settings: QueueSettings;
  /** live runners; null when the server does not report them */
  runners: RunnerRecord[] | null;
}

export interface KeyLimit {
  key: string;
  limit: number;
}

export interface QueuePatch {
  paused?: boolean;
  reason?: string;
  maxConcurrent?: number | null;
  stopOnFailure?: boolean;
}

/** How a follower waits between two reads of a run. */
export interface RunWatch {
  /** resolves when the run may have changed, after at most a poll interval (shorter when `busy`) */
  next(busy: boolean): Promise<void>;
  /** a read failed: waits before the next try, or rethrows (not transient, or failing for too long) */
  failed(e: unknown): Promise<void>;
  /** a read worked */
  ok(): void;
  close(): void;
}
