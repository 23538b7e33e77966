import type { AgentAttemptRecord, AgentAttemptStatus } from '../../../domain/agents/agentAttempt.ts';
import type { AgentAttemptsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

export function agentAttemptFromRow(r: AgentAttemptsTable): AgentAttemptRecord {
  return {
    stepId: r.step_id,
    attempt: Number(r.attempt),
    runId: r.run_id,
    workspaceId: r.workspace_id,
    stepKey: r.step_key,
    iteration: Number(r.iteration),
    runtime: r.runtime,
    model: r.model,
    sessionId: r.session_id,
    homeDir: r.home_dir,
    status: r.status as AgentAttemptStatus,
    reason: r.reason,
    tokensIn: Number(r.tokens_in),
    tokensOut: Number(r.tokens_out),
    tokensCached: Number(r.tokens_cached),
    costUsd: r.cost_usd === null ? null : Number(r.cost_usd),
    turns: Number(r.turns),
    startedAt: Number(r.started_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  };
}

/** The agent attempts of a run, in start order (optionally one step's, by key). */
export async function listAgentAttempts(
  db: Db,
  runId: string,
  stepKey?: string,
): Promise<AgentAttemptRecord[]> {
  let q = db.selectFrom('agent_attempts').selectAll().where('run_id', '=', runId);
  if (stepKey !== undefined) q = q.where('step_key', '=', stepKey);
  const rows = await q.orderBy('started_at').orderBy('attempt').execute();
  return rows.map(agentAttemptFromRow);
}
