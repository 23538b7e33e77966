import type { ExpressionContext } from '../workflow/types.ts';
import { evaluateExpression } from './evaluateExpression.ts';
import { scanTemplate } from './scanTemplate.ts';

/**
 * Replaces each `{{ expr }}` with its value: strings as-is, numbers and booleans stringified,
 * lists and maps as JSON, null as the empty string. Text without `{{` is returned unchanged.
 * Errors are `BatonError('invalid_expression')`.
 */
export function renderTemplate(template: string, ctx: ExpressionContext | Record<string, unknown>): string {
  if (!template.includes('{{')) return template;
  let out = '';
  for (const segment of scanTemplate(template)) {
    out += segment.kind === 'text' ? segment.text : templateText(evaluateExpression(segment.source, ctx));
  }
  return out;
}

/** How a value is written into a template. */
export function templateText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}
