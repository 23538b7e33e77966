export { compileExpression, type CompiledExpression } from './compileExpression.ts';
export { evaluateExpression } from './evaluateExpression.ts';
export { evaluateCondition, type NeedsStatus } from './evaluateCondition.ts';
export { conditionCallsStatusFunction } from './conditionCallsStatusFunction.ts';
export { renderTemplate } from './renderTemplate.ts';
export { renderValue } from './renderValue.ts';
export { extractTemplateExpressions } from './extractTemplateExpressions.ts';
export { singleTemplateExpression } from './singleTemplateExpression.ts';
export { referencedRoots, type ExpressionReferences } from './referencedRoots.ts';
