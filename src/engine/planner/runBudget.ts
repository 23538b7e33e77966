import type { StepRecord } from '../../domain/records.ts';
import type { AgentBudget, WorkflowDefinition } from '../../domain/workflow/types.ts';

/** What the agent steps of a run have spent so far (from their outputs: `tokens_in`, `tokens_out`, `cost_usd`). */
export function runSpend(steps: readonly Pick<StepRecord, 'kind' | 'outputs'>[]): {
  tokens: number;
  usd: number;
} {
  let tokens = 0;
  let usd = 0;
  for (const s of steps) {
    if (s.kind !== 'agent' || !s.outputs) continue;
    tokens += num(s.outputs['tokens_in']) + num(s.outputs['tokens_out']);
    usd += num(s.outputs['cost_usd']);
  }
  return { tokens, usd };
}

/**
 * An agent step's budget within its run's: the step's own limits, lowered to what the run has left.
 * A string when the run's budget is already spent (the step fails without starting).
 */
export function budgetWithinRun(
  step: AgentBudget,
  run: WorkflowDefinition['budget'],
  steps: readonly Pick<StepRecord, 'kind' | 'outputs'>[],
): AgentBudget | string {
  if (!run) return step;
  const spent = runSpend(steps);
  const out: AgentBudget = { ...step };
  if (run.tokens !== undefined) {
    const left = run.tokens - spent.tokens;
    if (left <= 0) return `the run's token budget of ${run.tokens} is spent (${spent.tokens} used)`;
    out.tokens = Math.min(step.tokens ?? left, left);
  }
  if (run.usd !== undefined) {
    const left = run.usd - spent.usd;
    if (left <= 0) return `the run's budget of $${run.usd} is spent ($${spent.usd.toFixed(4)} used)`;
    out.usd = Math.min(step.usd ?? left, left);
  }
  return out;
}

function num(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
}
