import { STATUS_FUNCTIONS } from './celEnvironment.ts';
import { compileExpression } from './compileExpression.ts';
import { singleTemplateExpression } from './singleTemplateExpression.ts';

/** True when the condition calls success(), failure(), always() or cancelled() anywhere. */
export function conditionCallsStatusFunction(condition: string): boolean {
  const source = singleTemplateExpression(condition) ?? condition;
  const { calls } = compileExpression(source).references;
  return STATUS_FUNCTIONS.some((name) => calls.includes(name));
}
