import type { JulesPlan, PlanDecision } from '../../agents/run/HttpAgentRuntime.ts';
import type { AgentAttemptRecord, AgentSpend, WorkspaceBudget } from '../../domain/agents/agentAttempt.ts';
import type { AgentEventRecord } from '../../domain/records.ts';
import type { StepJob } from '../../engine/ports/stepExecutor.ts';

/** What the agent executor reads and writes in the store (only the methods it calls). */
export interface AgentStepStore {
  upsertAgentAttempt(a: AgentAttemptRecord): Promise<void>;
  listAgentAttempts(runId: string, stepKey?: string): Promise<AgentAttemptRecord[]>;
  sumAgentSpend(scope: { runId: string } | { workspaceId: string; since: number }): Promise<AgentSpend>;
  getWorkspaceBudget(workspaceId: string): Promise<WorkspaceBudget | undefined>;
  appendAgentEvents(rows: AgentEventRecord[]): Promise<void>;
}

/** Asks a human to decide a remote agent's plan (a Baton approval) and waits for the decision. */
export interface PlanApprovals {
  decide(job: StepJob, plan: JulesPlan, signal: AbortSignal): Promise<PlanDecision>;
}

/** A named model endpoint of the server's config (`agents.endpoints`): the key is read from the env. */
export interface NamedEndpoint {
  baseUrl?: string;
  /** the server environment variable holding the key */
  apiKeyEnv?: string;
  model?: string;
  headers?: Record<string, string>;
}
