import type { WorkspaceBudget } from '../../../domain/agents/agentAttempt.ts';
import type { Db } from '../db.ts';

/** Sets a workspace's agent budget; `null` removes it (no limit). */
export async function setWorkspaceBudget(
  db: Db,
  workspaceId: string,
  budget: WorkspaceBudget | null,
): Promise<void> {
  if (budget === null) {
    await db.deleteFrom('workspace_budgets').where('workspace_id', '=', workspaceId).execute();
    return;
  }
  const row = {
    tokens: budget.tokens,
    usd: budget.usd,
    period: budget.period,
    updated_at: budget.updatedAt,
    updated_by: budget.updatedBy,
  };
  await db
    .insertInto('workspace_budgets')
    .values({ workspace_id: workspaceId, ...row })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(row))
    .execute();
}
