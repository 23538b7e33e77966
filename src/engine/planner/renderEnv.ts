import { renderTemplate } from '../../domain/expressions/index.ts';
import type { ExpressionContext } from '../../domain/workflow/types.ts';

export function renderEnv(env: Record<string, string>, ctx: ExpressionContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = renderTemplate(v, ctx);
  return out;
}
