import { BatonError } from '../errors.ts';
import type { ExpressionContext } from '../workflow/types.ts';
import { compileExpression } from './compileExpression.ts';
import { describeCelError } from './describeCelError.ts';
import { fromCelValue } from './fromCelValue.ts';

/**
 * Evaluates a CEL expression against the context and returns plain JS (see `fromCelValue`).
 *
 * Missing data: reading a key that is not there (`inputs.nope`, `steps.a.outputs.x` before `a`
 * wrote `x`) is an error, `BatonError('invalid_expression')` "no such key: x". Test first with
 * `has(steps.a.outputs.x)`, or use optional access: `steps.a.outputs.?x.orValue("default")`.
 * An unknown top-level name (`item` outside a fan-out) is "unknown variable". Integers in the context
 * are CEL ints, other numbers doubles; int and double mix in arithmetic and comparisons.
 */
export function evaluateExpression(
  source: string,
  ctx: ExpressionContext | Record<string, unknown>,
): unknown {
  return fromCelValue(evaluateExpressionRaw(source, ctx));
}

/** Like `evaluateExpression` without the normalisation (internal: conditions need the CEL type). */
export function evaluateExpressionRaw(
  source: string,
  ctx: ExpressionContext | Record<string, unknown>,
): unknown {
  const compiled = compileExpression(source);
  try {
    return compiled.evaluateRaw(ctx);
  } catch (e) {
    const { message, column } = describeCelError(e);
    throw new BatonError('invalid_expression', `expression ${JSON.stringify(source)} failed: ${message}`, {
      details: { expression: source, ...(column === undefined ? {} : { column }) },
    });
  }
}
