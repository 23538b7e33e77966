import type { GraphStep } from './checkStepGraph.ts';

const strings = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

/**
 * The step graph read loosely from the raw file, so that `needs`/`goto`/cycle errors are reported
 * together with schema errors. Steps without a string id are left out.
 */
export function rawStepGraph(raw: unknown): GraphStep[] {
  const steps = (raw as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return [];
  const graph: GraphStep[] = [];
  steps.forEach((step: unknown, index) => {
    if (step === null || typeof step !== 'object') return;
    const { id, needs, on } = step as Record<string, unknown>;
    if (typeof id !== 'string') return;
    const routes = Array.isArray(on) ? on : [];
    const gotos = routes.map((r: unknown) => {
      const goto = (r as { goto?: unknown } | null)?.goto;
      return typeof goto === 'string' ? { goto } : {};
    });
    graph.push({ id, needs: strings(needs), on: gotos, index });
  });
  return graph;
}
