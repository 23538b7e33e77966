import type { Millis } from '../records.ts';

/** How an agent attempt ended (`running` while it runs; `awaiting_plan`: parked on a plan approval). */
export type AgentAttemptStatus =
  | 'running'
  | 'awaiting_plan'
  | 'succeeded'
  | 'failed'
  | 'budget_exceeded'
  | 'stalled'
  | 'looping'
  | 'rate_limited'
  | 'cancelled'
  | 'timed_out'
  | 'crashed';

/** One attempt of an agent step: its session and what it spent (the source of run and workspace budgets). */
export interface AgentAttemptRecord {
  stepId: string;
  attempt: number;
  runId: string;
  workspaceId: string;
  stepKey: string;
  /** the step's routing iteration when the attempt ran */
  iteration: number;
  runtime: string;
  model: string | null;
  /** the runtime's session (Claude session, Codex thread, Gemini session, Jules session, Cursor agent) */
  sessionId: string | null;
  /** the isolated HOME the CLI ran in (kept for resume until the run ends) */
  homeDir: string | null;
  status: AgentAttemptStatus;
  reason: string | null;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  costUsd: number | null;
  turns: number;
  startedAt: Millis;
  finishedAt: Millis | null;
}

/** What agent attempts spent together. */
export interface AgentSpend {
  tokens: number;
  usd: number;
  attempts: number;
}

export const BUDGET_PERIODS = ['day', 'week', 'month', 'total'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** What all agent steps of a workspace may spend per period (UTC calendar periods; `total`: ever). */
export interface WorkspaceBudget {
  workspaceId: string;
  tokens: number | null;
  usd: number | null;
  period: BudgetPeriod;
  updatedAt: Millis;
  updatedBy: string | null;
}
