/**
 * The normalised, validated form of a workflow file. `parseWorkflow` (zod schema + YAML positions)
 * produces it; the engine consumes only this shape. Durations are milliseconds. Strings marked
 * "template" may contain `{{ expr }}`; strings marked "expression" are CEL.
 */

export type InputType = 'string' | 'number' | 'boolean' | 'choice' | 'json';

export interface InputSpec {
  type: InputType;
  required: boolean;
  default?: unknown;
  description?: string;
  /** For `choice`. */
  options?: string[];
}

export type Trigger =
  | { type: 'manual' }
  | { type: 'schedule'; cron: string; timezone: string; inputs: Record<string, unknown> }
  | EventTrigger
  | GithubTrigger;

/**
 * Starts a run for each matching event: an external one (`POST /api/v1/events`) or the end of a
 * Baton run (`run.succeeded`, `run.failed`, `run.cancelled`).
 */
export interface EventTrigger {
  type: 'event';
  /** an exact event type (`pr.created`), a prefix glob (`pr.*`) or `*` */
  eventType: string;
  /** expression over `event` ({id, type, payload, created_at, run_id}) */
  if?: string;
  /** values are templates over `event`, coerced with the workflow's input specs */
  inputs: Record<string, unknown>;
  /** whether events of this workflow's own runs (or their children) may start it again */
  allowSelf: boolean;
}

/**
 * Starts a run for each GitHub webhook delivery (the `github.<event>[.<action>]` external events)
 * of `event` that passes every filter given; then as an event trigger (`if`, `inputs`).
 */
export interface GithubTrigger {
  type: 'github';
  /** `<event>`, `<event>.*` (any action) or `<event>.<action>`, as GitHub names them (`issues.labeled`) */
  event: string;
  /** globs (`!` excludes; the last match decides); a missing key does not filter */
  filter: {
    /** `*.labeled`/`*.unlabeled`: the label added or removed; else the or PR's labels */
    labels?: string[];
    /** `repository.full_name` (case-insensitive) */
    repositories?: string[];
    /** push: `refs/heads/<branch>`; pull requests: the base branch; checks and workflow runs: the head branch */
    branches?: string[];
    /** push: `refs/tags/<tag>`; create/delete of a tag; release: `tag_name` */
    tags?: string[];
    /** `sender.login` (case-insensitive) */
    actors?: string[];
    /** `pull_request.draft` */
    draft?: boolean;
  };
  if?: string;
  inputs: Record<string, unknown>;
  allowSelf: boolean;
}

/** Which outcomes of an attempt are retried. */
export type RetryOn = 'failure' | 'timeout' | 'lease_lost';

export interface RetryPolicy {
  /** Retries after the first attempt (max: 2 → up to 3 attempts). */
  max: number;
  backoff: { initialMs: number; maxMs: number; factor: number };
  /** 0..1: fraction of the delay that is randomised ("full jitter" when 1). */
  jitter: number;
  on: RetryOn[];
}

export type RouteOutcome = 'success' | 'failure' | 'timeout' | 'rejected' | 'any';

/** `on:` outcome routing: when the step ends with `outcome` (and `if` holds), go back to `goto` at most `max` times. */
export interface Route {
  outcome: RouteOutcome;
  /** expression */
  if?: string;
  goto: string;
  max: number;
}

interface StepBase {
  id: string;
  name?: string;
  needs: string[];
  /** expression; GitHub-style: implicitly `success() && (…)` unless it calls success()/failure()/always(). */
  if?: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** values are templates */
  env: Record<string, string>;
  /** declared output names (what the step writes to $BATON_OUTPUT) */
  outputs: string[];
  on: Route[];
  continueOnError: boolean;
}

export interface RunStepSpec extends StepBase {
  kind: 'run';
  /** template */
  run: string;
  shell?: string;
  /** template */
  workingDirectory?: string;
}

export interface ApprovalStepSpec extends StepBase {
  kind: 'approval';
  approval: {
    /** template */
    message?: string;
    timeoutMs?: number;
    /** outcome applied when the timeout passes */
    default: 'approve' | 'reject';
    approvers?: string[];
  };
}

export interface WaitStepSpec extends StepBase {
  kind: 'wait';
  /**
   * exactly one of durationMs / until (template yielding an ISO-8601 time) / event (an event type
   * or prefix glob, with `if` over `event` and the run's context; resolved by the first match)
   */
  wait: { durationMs?: number; until?: string; event?: string; if?: string };
}

/** `uses: <action>` with `with:` (values are templates): a git or forge operation run host-side. */
export interface UsesStepSpec extends StepBase {
  kind: 'uses';
  uses: string;
  with: Record<string, unknown>;
}

export interface WorkflowStepSpec extends StepBase {
  kind: 'workflow';
  workflow: {
    name: string;
    /** values may be templates (strings) or literals */
    inputs: Record<string, unknown>;
    /** expression yielding a list: one child run per element, bound to `item` (or `as`) */
    forEach?: string;
    as?: string;
  };
}

/** The runtimes an `agent:` step can run on (`shell` is a `run:` step). */
export type AgentRuntimeId =
  'claude-code' | 'codex' | 'gemini-cli' | 'openai-compatible' | 'jules' | 'cursor';

/** Hard limits of an agent step (each a stop with the reason recorded). */
export interface AgentBudget {
  /** input + output tokens */
  tokens?: number;
  usd?: number;
  wallMs?: number;
  turns?: number;
  /** no event from the agent for this long: stopped as stalled */
  stallMs?: number;
}

/**
 * `agent.commit`: what Baton does with the agent's work once the agent is done, host-side, with
 * the forge's credentials the agent never sees: stage everything in the working directory (a
 * `git/workspace` worktree), commit it and push the branch. Skipped when the step failed unless
 * `onFailure`.
 */
export interface AgentCommit {
  /** template; default: the agent's `changesetSummary` (else `summary`), else a line naming the step */
  message?: string;
  push: boolean;
  /** template: whose forge credentials push (a registered repository); default none (local paths) */
  repository?: string;
  /** also commit and push the work of an agent step that failed */
  onFailure: boolean;
}

export interface AgentStepSpec extends StepBase {
  kind: 'agent';
  agent: {
    /** a role of the workspace's catalog (its prompt, tools, runtime, model and output contract) */
    role?: string;
    /** overrides the role's */
    runtime?: AgentRuntimeId;
    /** a named endpoint of the server's config (`agents.endpoints`): base URL, key variable, model */
    endpoint?: string;
    /** continue the session of this agent step (itself: across its re-runs) instead of starting one */
    continue?: string;
    /** server environment variables (allowed by BATON_STEP_ENV) the agent gets, redacted from its transcript */
    secrets?: string[];
    /** Jules and Cursor: the repository (templates) the remote agent clones */
    source?: { repository: string; branch?: string };
    model?: string;
    /** template: the task, given to the role's prompt as `{{ task }}` */
    prompt: string;
    maxTurns?: number;
    allowedTools?: string[];
    disallowedTools?: string[];
    /** after the agent: Baton stages, commits and pushes its work host-side (see AgentCommit) */
    commit?: AgentCommit;
  };
  budget: AgentBudget;
  /** template: the directory the agent works in (default: the run's base directory) */
  workingDirectory?: string;
}

export type StepSpec =
  RunStepSpec | ApprovalStepSpec | WaitStepSpec | WorkflowStepSpec | AgentStepSpec | UsesStepSpec;
export type StepKind = StepSpec['kind'];

export interface WorkflowDefinition {
  name: string;
  description?: string;
  inputs: Record<string, InputSpec>;
  triggers: Trigger[];
  concurrency?: { /** template */ key: string; limit: number };
  /** 0 by default; higher runs first */
  priority: number;
  /** values are templates */
  env: Record<string, string>;
  /** run outputs: name → template evaluated when the run succeeds */
  outputs: Record<string, string>;
  defaults: { timeoutMs?: number; retry?: RetryPolicy; shell?: string; workingDirectory?: string };
  /** what all agent steps of a run may spend together */
  budget?: { tokens?: number; usd?: number };
  steps: StepSpec[];
}

/** The context visible to expressions and templates. */
export interface ExpressionContext {
  inputs: Record<string, unknown>;
  steps: Record<string, { status: string; outcome?: string | null; outputs: Record<string, unknown> }>;
  run: { id: string; workflow: string; attempt?: number; dry_run?: boolean; created_at?: string };
  env: Record<string, string>;
  /** fan-out element (for `workflow.forEach`) under its `as` name */
  [extra: string]: unknown;
}
