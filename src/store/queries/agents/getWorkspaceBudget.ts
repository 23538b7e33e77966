import type { BudgetPeriod, WorkspaceBudget } from '../../../domain/agents/agentAttempt.ts';
import type { Db } from '../db.ts';

export async function getWorkspaceBudget(db: Db, workspaceId: string): Promise<WorkspaceBudget | undefined> {
  const r = await db
    .selectFrom('workspace_budgets')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    workspaceId: r.workspace_id,
    tokens: r.tokens === null ? null : Number(r.tokens),
    usd: r.usd === null ? null : Number(r.usd),
    period: r.period as BudgetPeriod,
    updatedAt: Number(r.updated_at),
    updatedBy: r.updated_by,
  };
}
