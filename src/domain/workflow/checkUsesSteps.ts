import { ACTION_CATALOG, isActionName } from './actionCatalog.ts';
import { didYouMeanSuffix } from '../didYouMean.ts';
import type { PathIssue } from './formatIssuePath.ts';
import type { WorkflowDefinition } from './types.ts';

/**
 * `uses:` rules checkable before rendering: `with:` names only the action's keys and gives every
 * required one (the values are templates: they are checked once rendered, when the step runs).
 */
export function checkUsesSteps(workflow: WorkflowDefinition): PathIssue[] {
  const issues: PathIssue[] = [];
  workflow.steps.forEach((step, i) => {
    if (step.kind !== 'uses' || !isActionName(step.uses)) return;
    const shape = ACTION_CATALOG[step.uses].with.shape as Record<
      string,
      { safeParse(v: unknown): { success: boolean } }
    >;
    const keys = Object.keys(shape);
    for (const k of Object.keys(step.with)) {
      if (!Object.hasOwn(shape, k))
        issues.push({
          path: ['steps', i, 'with', k],
          atKey: true,
          message: `${step.uses} takes no "${k}"${didYouMeanSuffix(k, keys)}; it takes ${keys.join(', ')}`,
        });
    }
    for (const k of keys) {
      const optional = shape[k]?.safeParse(undefined).success ?? true;
      if (!optional && step.with[k] === undefined)
        issues.push({ path: ['steps', i, 'with'], message: `${step.uses} needs with.${k}` });
    }
  });
  return issues;
}
