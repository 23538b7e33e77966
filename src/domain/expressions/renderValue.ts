import type { ExpressionContext } from '../workflow/types.ts';
import { evaluateExpression } from './evaluateExpression.ts';
import { renderTemplate } from './renderTemplate.ts';
import { singleTemplateExpression } from './singleTemplateExpression.ts';

/**
 * Renders templates inside any JSON-like value: strings are rendered, arrays and plain objects
 * recursively (keys are not templated), other values returned as-is. A string that is exactly one
 * `{{ expr }}` yields the expression's value with its type (a list stays a list, a number a number).
 */
export function renderValue(value: unknown, ctx: ExpressionContext | Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const single = singleTemplateExpression(value);
    return single === undefined ? renderTemplate(value, ctx) : evaluateExpression(single, ctx);
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, ctx));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, ctx);
    return out;
  }
  return value;
}
