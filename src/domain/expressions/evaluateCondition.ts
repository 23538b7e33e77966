import { BatonError } from '../errors.ts';
import type { ExpressionContext } from '../workflow/types.ts';
import { withStatusFunctions } from './celEnvironment.ts';
import { celTypeName } from './celTypeName.ts';
import { conditionCallsStatusFunction } from './conditionCallsStatusFunction.ts';
import { evaluateExpressionRaw } from './evaluateExpression.ts';
import { singleTemplateExpression } from './singleTemplateExpression.ts';

/** How the step's `needs` ended, as seen by the status functions. */
export interface NeedsStatus {
  /** every need succeeded (or was skipped/continued as the engine decides) */
  allSucceeded: boolean;
  /** at least one need failed */
  anyFailed: boolean;
  /** the run is being cancelled; default false */
  cancelled?: boolean;
}

/**
 * Evaluates a step condition with GitHub Actions semantics:
 * - `success()`: all needs succeeded (and not cancelled); `failure()`: some need failed (and not
 *   cancelled); `always()`: true; `cancelled()`: the run is being cancelled.
 * - A condition that calls none of them means `success() && (condition)`; no condition means `success()`.
 * - `if: "{{ expr }}"` is accepted and unwrapped.
 * The result must be a bool: anything else is `BatonError('invalid_expression')` naming the expression
 * and the type it produced.
 */
export function evaluateCondition(
  condition: string | undefined,
  ctx: ExpressionContext | Record<string, unknown>,
  needs: NeedsStatus,
): boolean {
  const state = {
    allSucceeded: needs.allSucceeded,
    anyFailed: needs.anyFailed,
    cancelled: needs.cancelled ?? false,
  };
  const source =
    condition === undefined || condition.trim() === ''
      ? undefined
      : (singleTemplateExpression(condition) ?? condition);
  if (source === undefined || !conditionCallsStatusFunction(source)) {
    if (!state.allSucceeded || state.cancelled) return false;
    if (source === undefined) return true;
  }
  const result = withStatusFunctions(state, () => evaluateExpressionRaw(source, ctx));
  if (typeof result !== 'boolean') {
    throw new BatonError(
      'invalid_expression',
      `condition ${JSON.stringify(source)} must evaluate to a bool, got ${celTypeName(result)}`,
      {
        details: { expression: source, type: celTypeName(result) },
      },
    );
  }
  return result;
}
