/** Statuses of a ledger row (the agent task ledger's own vocabulary, not Baton's step statuses). */
export const TASK_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'awaiting_approval',
  'skipped',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const APPROVAL_STATES = ['pending', 'approved', 'rejected'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** One ledger row; times are epoch milliseconds (ISO-8601 strings on the wire). */
export interface LedgerTask {
  id: string;
  task: string;
  runId: string | null;
  /** the Baton step this row mirrors (rows written by the projector); null for API rows */
  stepId: string | null;
  status: TaskStatus;
  /** when the task started; the creation time until it does (never null: it is the sort key) */
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  inputs: unknown;
  outputsUri: string | null;
  logExcerpt: string | null;
  approvalState: ApprovalState | null;
  approver: string | null;
  webhookNotifiedAt: number | null;
  /** why the approval notification failed after every try (null when it was delivered) */
  webhookError: string | null;
  createdAt: number;
  updatedAt: number;
  /** the workspace: its run's, or the reporting token's */
  workspaceId: string;
}

export interface TaskFilter {
  /** only rows of these workspaces (the caller's readable ones) */
  workspaceIds?: readonly string[];
  runId?: string;
  task?: string;
  status?: TaskStatus[];
  /** started_at ≥ since (ms) */
  since?: number;
}

/** A keyset position: the (started_at, id) of the last row seen. */
export interface TaskKey {
  startedAt: number;
  id: string;
}

export const isFinished = (s: TaskStatus): boolean => s === 'succeeded' || s === 'failed' || s === 'skipped';
