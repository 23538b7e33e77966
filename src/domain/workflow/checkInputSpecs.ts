import { didYouMeanSuffix } from '../didYouMean.ts';
import { isBatonError } from '../errors.ts';
import { coerceInputs, type InputIssue } from './coerceInputs.ts';
import { coerceInputValue } from './coerceInputValue.ts';
import type { PathIssue, PathSegment } from './formatIssuePath.ts';
import type { EventTrigger, GithubTrigger, WorkflowDefinition } from './types.ts';

/**
 * Input declarations are coherent (a choice has options, options only on choices, a default of the
 * declared type and among the options) and every schedule trigger's inputs are valid run inputs
 * (an event or github trigger's: declared, every required one given, and literal values of the right type).
 */
export function checkInputSpecs(workflow: WorkflowDefinition): {
  errors: PathIssue[];
  warnings: PathIssue[];
} {
  const errors: PathIssue[] = [];
  const warnings: PathIssue[] = [];
  for (const [name, spec] of Object.entries(workflow.inputs)) {
    const at = ['inputs', name];
    if (spec.type === 'choice' && (spec.options === undefined || spec.options.length === 0)) {
      errors.push({ path: at, message: 'a choice input needs a non-empty options list' });
    }
    if (spec.type !== 'choice' && spec.options !== undefined) {
      errors.push({
        path: [...at, 'options'],
        message: `only allowed on choice inputs (this one is ${spec.type})`,
      });
    }
    if (spec.default !== undefined && (spec.type !== 'choice' || (spec.options?.length ?? 0) > 0)) {
      const result = coerceInputValue(spec, spec.default, false);
      if (!result.ok) errors.push({ path: [...at, 'default'], message: `default ${result.message}` });
    }
    if (spec.required && spec.default !== undefined) {
      warnings.push({
        path: [...at, 'required'],
        message: 'a required input with a default is never missing; drop one of them',
      });
    }
  }
  workflow.triggers.forEach((trigger, i) => {
    if (trigger.type === 'event' || trigger.type === 'github') {
      errors.push(...eventTriggerInputIssues(workflow, trigger, ['triggers', i, trigger.type, 'inputs']));
      return;
    }
    if (trigger.type !== 'schedule') return;
    try {
      coerceInputs(workflow.inputs, trigger.inputs);
    } catch (e) {
      if (!isBatonError(e, 'invalid_input')) throw e;
      const issues = (e.details?.issues ?? []) as InputIssue[];
      for (const issue of issues) {
        errors.push({
          path: ['triggers', i, 'schedule', 'inputs', issue.field.replace(/^inputs\./, '')],
          message: issue.message,
        });
      }
    }
  });
  return { errors, warnings };
}

/** Event trigger inputs are templates: only names, required inputs and literal values are checked here. */
function eventTriggerInputIssues(
  workflow: WorkflowDefinition,
  trigger: EventTrigger | GithubTrigger,
  at: PathSegment[],
): PathIssue[] {
  const issues: PathIssue[] = [];
  const names = Object.keys(workflow.inputs);
  for (const [name, value] of Object.entries(trigger.inputs)) {
    const spec = workflow.inputs[name];
    if (spec === undefined) {
      issues.push({
        path: [...at, name],
        message: `unknown input "${name}"${didYouMeanSuffix(name, names)}`,
      });
      continue;
    }
    if (typeof value === 'string' && value.includes('{{')) continue;
    const result = coerceInputValue(spec, value, true);
    if (!result.ok) issues.push({ path: [...at, name], message: `input "${name}": ${result.message}` });
  }
  for (const [name, spec] of Object.entries(workflow.inputs)) {
    if (spec.required && spec.default === undefined && !Object.hasOwn(trigger.inputs, name))
      issues.push({ path: at, message: `input "${name}" is required` });
  }
  return issues;
}
