import type { AgentSpend } from '../../../domain/agents/agentAttempt.ts';
import type { Db } from '../db.ts';

/** What agent attempts spent: of one run, or of one workspace since a time. */
export async function sumAgentSpend(
  db: Db,
  scope: { runId: string } | { workspaceId: string; since: number },
): Promise<AgentSpend> {
  let q = db
    .selectFrom('agent_attempts')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('tokens_in'), eb.lit(0)).as('tin'),
      eb.fn.coalesce(eb.fn.sum<number>('tokens_out'), eb.lit(0)).as('tout'),
      eb.fn.coalesce(eb.fn.sum<number>('cost_usd'), eb.lit(0)).as('usd'),
      eb.fn.countAll<number>().as('n'),
    ]);
  q =
    'runId' in scope
      ? q.where('run_id', '=', scope.runId)
      : q.where('workspace_id', '=', scope.workspaceId).where('started_at', '>=', scope.since);
  const r = await q.executeTakeFirstOrThrow();
  return { tokens: Number(r.tin) + Number(r.tout), usd: Number(r.usd), attempts: Number(r.n) };
}
