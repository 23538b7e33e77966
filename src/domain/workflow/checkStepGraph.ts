import { didYouMeanSuffix } from '../didYouMean.ts';
import { findNeedsCycles } from './findNeedsCycles.ts';
import type { PathIssue } from './formatIssuePath.ts';
import type { StepSpec } from './types.ts';

/** What the graph rules need of a step; `index` is its position in the file's `steps`. */
export type GraphStep = Pick<StepSpec, 'id' | 'needs'> & {
  on: ReadonlyArray<{ goto?: string }>;
  index: number;
};

/**
 * Step-graph rules: unique ids, `needs` naming existing other steps, no cycles, and `on[].goto`
 * naming the step itself or one of its ancestors (routes may only loop back).
 */
export function checkStepGraph(
  steps: readonly GraphStep[],
  ancestors: ReadonlyMap<string, ReadonlySet<string>>,
): PathIssue[] {
  const issues: PathIssue[] = [];
  const firstIndex = new Map<string, number>();
  for (const { id, index } of steps) {
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, index);
    else
      issues.push({
        path: ['steps', index, 'id'],
        message: `duplicate step id "${id}" (already used by steps[${first}])`,
      });
  }
  const ids = [...firstIndex.keys()];
  const unknownStep = (id: string): string => `step "${id}" does not exist${didYouMeanSuffix(id, ids)}`;

  for (const step of steps) {
    const i = step.index;
    step.needs.forEach((need, j) => {
      const at = ['steps', i, 'needs', j];
      if (need === step.id)
        issues.push({ path: ['steps', i, 'needs'], at, message: `step "${need}" cannot need itself` });
      else if (!firstIndex.has(need))
        issues.push({ path: ['steps', i, 'needs'], at, message: unknownStep(need) });
    });
    step.on.forEach((route, j) => {
      const path = ['steps', i, 'on', j, 'goto'];
      if (route.goto === undefined) return;
      if (!firstIndex.has(route.goto)) issues.push({ path, message: unknownStep(route.goto) });
      else if (route.goto !== step.id && ancestors.get(step.id)?.has(route.goto) !== true) {
        issues.push({
          path,
          message: `step "${route.goto}" is not "${step.id}" or one of its upstream steps: routes may only go back to the step itself or a step it needs`,
        });
      }
    });
  }

  for (const cycle of findNeedsCycles(steps)) {
    const index = firstIndex.get(cycle[0] ?? '') ?? 0;
    issues.push({ path: ['steps', index, 'needs'], message: `dependency cycle: ${cycle.join(' → ')}` });
  }
  return issues;
}
