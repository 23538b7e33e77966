import type { RunRecord, StepRecord } from '../../domain/records.ts';
import type { ExpressionContext } from '../../domain/workflow/types.ts';

/** The context of expressions and templates for a run: inputs, steps.<id>, run, env. */
export function buildContext(
  run: RunRecord,
  steps: readonly StepRecord[],
  env: Record<string, string>,
): ExpressionContext {
  const stepCtx: ExpressionContext['steps'] = {};
  for (const s of steps) {
    stepCtx[s.stepKey] = { status: s.status, outcome: s.outcome, outputs: s.outputs ?? {} };
  }
  return {
    inputs: run.inputs,
    steps: stepCtx,
    run: {
      id: run.id,
      workflow: run.workflowName,
      dry_run: run.dryRun,
      created_at: new Date(run.createdAt).toISOString(),
    },
    env,
  };
}
