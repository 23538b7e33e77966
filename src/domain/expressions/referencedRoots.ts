import type { ExpressionReferences } from './collectReferences.ts';
import { compileExpression } from './compileExpression.ts';

export type { ExpressionReferences } from './collectReferences.ts';

/**
 * What a CEL expression reads from its context, from the AST (string literals never count):
 * top-level names, `inputs.<name>`, `steps.<id>` and `steps.<id>.outputs.<name>`. Comprehension
 * variables (`list.map(x, …)`, `cel.bind(x, …)`) are not roots. Throws like `compileExpression`.
 */
export function referencedRoots(expression: string): ExpressionReferences {
  return compileExpression(expression).references;
}
