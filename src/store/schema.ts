import type { ColumnType, Generated } from 'kysely';

/**
 * Row shapes of the Baton database. Times are epoch milliseconds (bigint in PostgreSQL, parsed to
 * number); JSON columns hold `JsonText` (text in SQLite, jsonb in PostgreSQL; both go through the
 * dialect's JSON codec); booleans are 0/1 integers in both dialects for one code path.
 */
export type JsonText = string | object;
export type Bool = number;

export interface WorkflowsTable {
  name: string;
  workspace_id: string;
  version: number;
  definition: JsonText;
  source: string;
  origin: string;
  source_path: string | null;
  base_dir: string | null;
  created_at: number;
  updated_at: number;
}

export interface RunsTable {
  id: string;
  workflow_name: string;
  workflow_version: number;
  workspace_id: string;
  repository_id: string | null;
  definition: JsonText;
  status: string;
  inputs: JsonText;
  outputs: JsonText | null;
  error: JsonText | null;
  priority: number;
  concurrency_key: string | null;
  concurrency_limit: number | null;
  parent_run_id: string | null;
  parent_step_id: string | null;
  parent_index: number | null;
  idempotency_key: string | null;
  trigger: string;
  dry_run: Bool;
  base_dir: string | null;
  loop_counts: JsonText;
  created_by: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export interface StepsTable {
  id: string;
  run_id: string;
  step_key: string;
  kind: string;
  position: number;
  status: string;
  /** 1 for steps executed by runners (`run:`), 0 for engine-internal kinds */
  runnable: Bool;
  attempt: number;
  failures: number;
  reclaims: number;
  iteration: number;
  available_at: number;
  priority: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  outcome: string | null;
  outputs: JsonText | null;
  error: JsonText | null;
  forced: Bool;
  /** the rendered execution spec (command, env, cwd…), fixed when the step is queued */
  spec: JsonText | null;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export interface StepAttemptsTable {
  step_id: string;
  run_id: string;
  attempt: number;
  iteration: number;
  owner: string | null;
  status: string;
  exit_code: number | null;
  error: JsonText | null;
  outputs: JsonText | null;
  started_at: number;
  finished_at: number | null;
}

export interface WaitsTable {
  id: string;
  run_id: string;
  step_id: string;
  kind: string;
  status: string;
  due_at: number | null;
  payload: JsonText;
  decided_by: string | null;
  decided_at: number | null;
  comment: string | null;
  created_at: number;
}

export interface EventsTable {
  id: Generated<number>;
  run_id: string | null;
  step_id: string | null;
  type: string;
  payload: JsonText;
  created_at: number;
  workspace_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SchedulesTable {
  id: string;
  workflow_name: string;
  cron: string;
  timezone: string;
  inputs: JsonText;
  next_at: number;
  last_slot: number | null;
  enabled: Bool;
  updated_at: number;
}

export interface AgentEventsTable {
  step_id: string;
  attempt: number;
  seq: number;
  kind: string;
  event: JsonText;
  created_at: number;
}

export interface AgentAttemptsTable {
  step_id: string;
  attempt: number;
  run_id: string;
  workspace_id: string;
  step_key: string;
  iteration: number;
  runtime: string;
  model: string | null;
  session_id: string | null;
  home_dir: string | null;
  status: string;
  reason: string | null;
  tokens_in: number;
  tokens_out: number;
  tokens_cached: number;
  cost_usd: number | null;
  turns: number;
  started_at: number;
  finished_at: number | null;
}

export interface WorkspaceBudgetsTable {
  workspace_id: string;
  tokens: number | null;
  usd: number | null;
  period: string;
  updated_at: number;
  updated_by: string | null;
}

export interface StepLogsTable {
  step_id: string;
  attempt: number;
  seq: number;
  stream: string;
  data: Buffer;
  created_at: number;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  resource_id: string;
  request_hash: string;
  created_at: number;
}

export interface QueueSettingsTable {
  id: number;
  paused: Bool;
  paused_reason: string | null;
  max_concurrent: number | null;
  stop_on_failure: Bool;
  updated_at: number;
}

export interface ConcurrencyLimitsTable {
  key: string;
  limit: number;
  updated_at: number;
}

export interface RunnersTable {
  id: string;
  hostname: string;
  pid: number;
  started_at: number;
  heartbeat_at: number;
  stopped_at: number | null;
}

/** Inbound webhook deliveries (migration 010): see m010_webhook_deliveries.ts. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  source: string;
  delivery_id: string | null;
  event: string | null;
  action: string | null;
  status: string;
  reason: string | null;
  payload_hash: string | null;
  repository: string | null;
  installation_id: number | null;
  event_ids: JsonText | null;
  received_at: number;
  /** migration 013: null (nothing to do), pending, done or failed */
  followup: string | null;
  followup_lease_until: number | null;
  followup_result: string | null;
}

/** The issue tree (migration 011): see m011_issue_tree.ts. */
export interface IssuesTable {
  id: string;
  workspace_id: string;
  run_id: string | null;
  root_id: string;
  parent_id: string | null;
  position: number;
  number: number;
  kind: string;
  title: string;
  body: string;
  status: string;
  branch: string;
  pr_number: number | null;
  pr_url: string | null;
  github_issue_number: number | null;
  /** migration 014: the repository (`owner/name`) of github_issue_number */
  github_repository: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** The local forge (migration 012): see m012_local_forge.ts. */
export interface ForgePullRequestsTable {
  id: string;
  repository: string;
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  head_sha: string;
  state: string;
  draft: Bool;
  idempotency_key: string;
  merge_key: string | null;
  merge_sha: string | null;
  merge_method: string | null;
  merged_base_sha: string | null;
  created_at: number;
  updated_at: number;
  merged_at: number | null;
}

export interface ForgeCommentsTable {
  id: string;
  repository: string;
  number: number;
  body: string;
  idempotency_key: string;
  progress_key: string | null;
  created_at: number;
  updated_at: number;
}

export interface ForgeReviewsTable {
  id: string;
  repository: string;
  number: number;
  verdict: string;
  body: string;
  author: string;
  commit_sha: string;
  comments: JsonText;
  idempotency_key: string;
  submitted_at: number;
}

export interface ForgeReviewRequestsTable {
  repository: string;
  number: number;
  login: string;
  requested_at: number;
}

export interface ForgeStatusesTable {
  repository: string;
  sha: string;
  context: string;
  state: string;
  description: string | null;
  target_url: string | null;
  updated_at: number;
}

export interface ForgeEventsTable {
  id: Generated<number>;
  type: string;
  payload: JsonText;
  created_at: number;
  emitted_at: number | null;
}

export interface Database {
  workflows: WorkflowsTable;
  runs: RunsTable;
  steps: StepsTable;
  step_attempts: StepAttemptsTable;
  waits: WaitsTable;
  events: EventsTable;
  schedules: SchedulesTable;
  step_logs: StepLogsTable;
  agent_events: AgentEventsTable;
  agent_attempts: AgentAttemptsTable;
  workspace_budgets: WorkspaceBudgetsTable;
  idempotency_keys: IdempotencyKeysTable;
  queue_settings: QueueSettingsTable;
  concurrency_limits: ConcurrencyLimitsTable;
  runners: RunnersTable;
  issues: IssuesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  forge_pull_requests: ForgePullRequestsTable;
  forge_comments: ForgeCommentsTable;
  forge_reviews: ForgeReviewsTable;
  forge_review_requests: ForgeReviewRequestsTable;
  forge_statuses: ForgeStatusesTable;
  forge_events: ForgeEventsTable;
}
