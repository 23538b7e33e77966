import type { AgentAttemptRecord } from '../../../domain/agents/agentAttempt.ts';
import type { Db } from '../db.ts';

/** Records an agent attempt as it starts, and again as it ends (same step and attempt: updated). */
export async function upsertAgentAttempt(db: Db, a: AgentAttemptRecord): Promise<void> {
  const row = {
    step_id: a.stepId,
    attempt: a.attempt,
    run_id: a.runId,
    workspace_id: a.workspaceId,
    step_key: a.stepKey,
    iteration: a.iteration,
    runtime: a.runtime,
    model: a.model,
    session_id: a.sessionId,
    home_dir: a.homeDir,
    status: a.status,
    reason: a.reason,
    tokens_in: a.tokensIn,
    tokens_out: a.tokensOut,
    tokens_cached: a.tokensCached,
    cost_usd: a.costUsd,
    turns: a.turns,
    started_at: a.startedAt,
    finished_at: a.finishedAt,
  };
  const { step_id: _s, attempt: _a, ...update } = row;
  await db
    .insertInto('agent_attempts')
    .values(row)
    .onConflict((oc) => oc.columns(['step_id', 'attempt']).doUpdateSet(update))
    .execute();
}
