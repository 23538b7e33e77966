import type { ASTNode, ParseResult } from '@marcbachmann/cel-js';
import { BatonError } from '../errors.ts';
import { celEnvironment } from './celEnvironment.ts';
import { collectReferences, type ExpressionReferences } from './collectReferences.ts';
import { describeCelError } from './describeCelError.ts';
import { LruCache } from './lruCache.ts';
import { toCelValue } from './toCelValue.ts';

export interface CompiledExpression {
  readonly source: string;
  readonly ast: ASTNode;
  readonly references: ExpressionReferences;
  /**
   * Evaluates against a context and returns the raw CEL value (BigInt ints, Maps…): only the roots
   * the expression reads are converted (`toCelValue`). Throws the library's errors unchanged; use
   * `evaluateExpression` for normalised values and BatonErrors.
   */
  evaluateRaw(ctx: Readonly<Record<string, unknown>>): unknown;
}

const cache = new LruCache<string, CompiledExpression>(1000);

/**
 * Parses and type-checks a CEL expression (cached, up to 1000 distinct sources). Throws
 * `BatonError('invalid_expression')` naming the expression, the problem and its column.
 */
export function compileExpression(source: string): CompiledExpression {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  let parsed: ParseResult;
  try {
    parsed = celEnvironment.parse(source);
  } catch (e) {
    throw invalid(source, e);
  }
  const checked = parsed.check();
  if (!checked.valid) throw invalid(source, checked.error);
  const references = collectReferences(parsed.ast);
  const compiled: CompiledExpression = {
    source,
    ast: parsed.ast,
    references,
    evaluateRaw(ctx) {
      const celCtx: Record<string, unknown> = {};
      for (const root of references.roots) {
        if (Object.hasOwn(ctx, root) && ctx[root] !== undefined) celCtx[root] = toCelValue(ctx[root]);
      }
      return parsed(celCtx) as unknown;
    },
  };
  cache.set(source, compiled);
  return compiled;
}

function invalid(source: string, error: unknown): BatonError {
  const { message, column } = describeCelError(error);
  return new BatonError('invalid_expression', `invalid expression ${JSON.stringify(source)}: ${message}`, {
    details: { expression: source, ...(column === undefined ? {} : { column }) },
  });
}
