import type { AgentRunLimits } from '../../agents/run/AgentRunResult.ts';
import { periodStart } from '../../domain/agents/budgetPeriod.ts';
import type { AgentExecSpec } from '../../domain/records.ts';
import type { AgentStepStore } from './agentStepPorts.ts';

export type StepLimits = { limits: AgentRunLimits } | { exceeded: string };

const lower = (a: number | undefined, b: number): number => (a === undefined ? b : Math.min(a, b));

/**
 * An agent attempt's hard stops: the step's budget, lowered to what its run (the workflow's
 * `budget`) and its workspace (the period's budget) have left — counting every agent attempt
 * stored so far, retried and parked ones included. `exceeded` when one of them is already spent.
 */
export async function stepLimits(
  spec: AgentExecSpec,
  runId: string,
  timeoutMs: number | undefined,
  store: Pick<AgentStepStore, 'sumAgentSpend' | 'getWorkspaceBudget'>,
  now: number,
): Promise<StepLimits> {
  const b = spec.budget;
  const limits: AgentRunLimits = {
    ...(b.tokens ? { maxTokens: b.tokens } : {}),
    ...(b.usd ? { maxCostUsd: b.usd } : {}),
    ...((b.wallMs ?? timeoutMs) ? { maxWallMs: b.wallMs ?? timeoutMs } : {}),
    ...((b.turns ?? spec.maxTurns) ? { maxTurns: b.turns ?? spec.maxTurns } : {}),
    ...(b.stallMs ? { stallMs: b.stallMs } : {}),
  };
  const run = spec.runBudget;
  if (run && (run.tokens !== undefined || run.usd !== undefined)) {
    const spent = await store.sumAgentSpend({ runId });
    if (run.tokens !== undefined) {
      const left = run.tokens - spent.tokens;
      if (left <= 0)
        return { exceeded: `the run's token budget of ${run.tokens} is spent (${spent.tokens} used)` };
      limits.maxTokens = lower(limits.maxTokens, left);
    }
    if (run.usd !== undefined) {
      const left = run.usd - spent.usd;
      if (left <= 0)
        return { exceeded: `the run's budget of $${run.usd} is spent ($${spent.usd.toFixed(4)} used)` };
      limits.maxCostUsd = lower(limits.maxCostUsd, left);
    }
  }
  const ws = await store.getWorkspaceBudget(spec.workspaceId);
  if (ws && (ws.tokens !== null || ws.usd !== null)) {
    const since = periodStart(ws.period, now);
    const spent = await store.sumAgentSpend({ workspaceId: spec.workspaceId, since });
    const per = ws.period === 'total' ? '' : ` this ${ws.period}`;
    if (ws.tokens !== null) {
      const left = ws.tokens - spent.tokens;
      if (left <= 0)
        return {
          exceeded: `workspace "${spec.workspaceId}" has spent its token budget of ${ws.tokens}${per} (${spent.tokens} used)`,
        };
      limits.maxTokens = lower(limits.maxTokens, left);
    }
    if (ws.usd !== null) {
      const left = ws.usd - spent.usd;
      if (left <= 0)
        return {
          exceeded: `workspace "${spec.workspaceId}" has spent its budget of $${ws.usd}${per} ($${spent.usd.toFixed(4)} used)`,
        };
      limits.maxCostUsd = lower(limits.maxCostUsd, left);
    }
  }
  return { limits };
}
