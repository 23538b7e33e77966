import type { TokenCounts } from './tokenCounts.ts';

/** USD per million tokens of one model (config `agents.prices`). */
export interface ModelPrice {
  input: number;
  output: number;
  /** tokens read from the prompt cache (default: the input price) */
  cached_input?: number | undefined;
}

/** Prices by model name, or by a glob of model names (`*` any run of characters, `?` one character). */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

const PER_TOKEN = 1 / 1_000_000;

/**
 * The price entry of a model: its exact name first, then the longest matching glob (the more
 * specific one; ties go to the one with more literal characters, then the first in code-point
 * order, so the answer never depends on the table's key order). Undefined when nothing matches.
 */
export function findModelPrice(
  model: string,
  table: PriceTable,
): { pattern: string; price: ModelPrice } | undefined {
  const exact = Object.hasOwn(table, model) ? table[model] : undefined;
  if (exact) return { pattern: model, price: exact };
  let best: { pattern: string; price: ModelPrice; literal: number } | undefined;
  for (const [pattern, price] of Object.entries(table)) {
    if (!isGlob(pattern) || !globToRegExp(pattern).test(model)) continue;
    const literal = pattern.replace(/[*?]/g, '').length;
    if (
      !best ||
      pattern.length > best.pattern.length ||
      (pattern.length === best.pattern.length &&
        (literal > best.literal || (literal === best.literal && pattern < best.pattern)))
    ) {
      best = { pattern, price, literal };
    }
  }
  return best && { pattern: best.pattern, price: best.price };
}

/**
 * The USD cost of `tokens` on `model` by the price table, for runtimes that report tokens but no
 * cost (Codex, Gemini CLI). Prompt tokens read from cache cost `cached_input` (default: `input`),
 * the other prompt tokens — cache writes included — cost `input`; output tokens (reasoning
 * included) cost `output`. Null when the model is unknown or has no entry.
 */
export function costFromPrices(
  tokens: TokenCounts,
  model: string | null | undefined,
  table: PriceTable | undefined,
): number | null {
  if (!model || !table) return null;
  const found = findModelPrice(model, table);
  if (!found) return null;
  const { input, output, cached_input } = found.price;
  const cached = Math.min(Math.max(tokens.cached_input, 0), Math.max(tokens.input, 0));
  const uncached = Math.max(tokens.input, 0) - cached;
  const usd =
    (uncached * input + cached * (cached_input ?? input) + Math.max(tokens.output, 0) * output) * PER_TOKEN;
  // whole nano-dollars: no 0.30000000000000004 in logs and outputs
  return Math.round(usd * 1e9) / 1e9;
}

function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

const globCache = new Map<string, RegExp>();

function globToRegExp(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()[\]{}|/-]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 's');
    if (globCache.size > 1000) globCache.clear();
    globCache.set(pattern, re);
  }
  return re;
}
