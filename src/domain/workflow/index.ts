export type * from './types.ts';
export { parseWorkflow, type ParseResult, type ParseWorkflowOptions } from './parseWorkflow.ts';
export { formatWorkflowIssue, type WorkflowIssue } from './formatWorkflowIssue.ts';
export { coerceInputs, type InputIssue } from './coerceInputs.ts';
export { RETRY_DEFAULTS } from './retrySchema.ts';
export { CONTEXT_ROOTS } from './checkExpressions.ts';
