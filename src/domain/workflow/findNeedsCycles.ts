import type { StepSpec } from './types.ts';

type Needs = Pick<StepSpec, 'id' | 'needs'>;

/**
 * Every distinct cycle in the `needs` graph, each as the ids along it with the first repeated at the
 * end (`['a', 'b', 'a']`: a needs b, b needs a). Unknown ids and self-needs are ignored.
 */
export function findNeedsCycles(steps: readonly Needs[]): string[][] {
  const needs = new Map(steps.map((s) => [s.id, s.needs]));
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    state.set(id, 'active');
    stack.push(id);
    for (const need of needs.get(id) ?? []) {
      if (need === id || !needs.has(need)) continue;
      const s = state.get(need);
      if (s === 'active') {
        const cycle = [...stack.slice(stack.indexOf(need)), need];
        const key = [...new Set(cycle)].sort().join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (s === undefined) {
        visit(need);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const step of steps) if (!state.has(step.id)) visit(step.id);
  return cycles;
}
