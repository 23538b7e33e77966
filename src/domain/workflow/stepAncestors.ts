import type { StepSpec } from './types.ts';

type Needs = Pick<StepSpec, 'id' | 'needs'>;

/**
 * For each step id, every step it depends on directly or indirectly through `needs` (unknown ids
 * ignored; terminates on cycles). Used to allow `steps.X` references and `on[].goto` loops.
 */
export function stepAncestors(steps: readonly Needs[]): Map<string, Set<string>> {
  const needs = new Map(steps.map((s) => [s.id, s.needs]));
  const result = new Map<string, Set<string>>();
  const visit = (id: string, trail: Set<string>): Set<string> => {
    const known = result.get(id);
    if (known !== undefined) return known;
    const ancestors = new Set<string>();
    trail.add(id);
    for (const need of needs.get(id) ?? []) {
      if (!needs.has(need)) continue;
      ancestors.add(need);
      if (trail.has(need)) continue;
      for (const a of visit(need, trail)) ancestors.add(a);
    }
    trail.delete(id);
    result.set(id, ancestors);
    return ancestors;
  };
  for (const step of steps) visit(step.id, new Set());
  return result;
}
