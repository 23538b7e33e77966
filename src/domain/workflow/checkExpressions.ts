import { didYouMeanSuffix } from '../didYouMean.ts';
import { compileExpression } from '../expressions/compileExpression.ts';
import { extractTemplateExpressions } from '../expressions/extractTemplateExpressions.ts';
import { collectExpressionSites, type ExpressionSite } from './collectExpressionSites.ts';
import type { PathIssue } from './formatIssuePath.ts';
import type { WorkflowDefinition } from './types.ts';

/** Variables every expression may read. */
export const CONTEXT_ROOTS = ['inputs', 'steps', 'run', 'env'] as const;

/**
 * Every expression and template compiles, and what it reads exists and is reachable: declared
 * inputs, existing upstream steps (any step for run outputs, none before the run starts), declared
 * step outputs, and known variables.
 */
export function checkExpressions(
  workflow: WorkflowDefinition,
  ancestors: ReadonlyMap<string, ReadonlySet<string>>,
): PathIssue[] {
  const issues: PathIssue[] = [];
  const outputsOf = new Map(workflow.steps.map((s) => [s.id, s.outputs]));
  const inputNames = Object.keys(workflow.inputs);
  for (const site of collectExpressionSites(workflow)) {
    let sources: string[];
    try {
      sources = site.kind === 'template' ? extractTemplateExpressions(site.text) : [site.text];
    } catch (e) {
      issues.push({ path: site.path, message: (e as Error).message });
      continue;
    }
    const messages = new Set<string>();
    for (const source of sources) {
      for (const message of checkOne(source, site, { outputsOf, inputNames, ancestors }))
        messages.add(message);
    }
    for (const message of messages) issues.push({ path: site.path, message });
  }
  return issues;
}

interface Known {
  outputsOf: ReadonlyMap<string, readonly string[]>;
  inputNames: readonly string[];
  ancestors: ReadonlyMap<string, ReadonlySet<string>>;
}

function checkOne(source: string, site: ExpressionSite, known: Known): string[] {
  let refs;
  try {
    refs = compileExpression(source).references;
  } catch (e) {
    return [(e as Error).message];
  }
  const messages: string[] = [];
  const roots = site.roots ?? [...CONTEXT_ROOTS, ...site.extraRoots];
  for (const root of refs.roots) {
    if (!roots.includes(root)) {
      const hint = didYouMeanSuffix(root, roots);
      messages.push(
        `unknown variable "${root}" in ${JSON.stringify(source)}${hint || ` (available: ${roots.join(', ')})`}`,
      );
    }
  }
  for (const name of roots.includes('inputs') ? refs.inputs : []) {
    if (!known.inputNames.includes(name))
      messages.push(`input "${name}" is not declared${didYouMeanSuffix(name, known.inputNames)}`);
  }
  for (const id of roots.includes('steps') ? refs.steps : []) {
    const problem = stepProblem(id, site, known);
    if (problem !== undefined) messages.push(problem);
  }
  for (const { step, output } of roots.includes('steps') ? refs.stepOutputs : []) {
    const declared = known.outputsOf.get(step);
    if (declared !== undefined && declared.length > 0 && !declared.includes(output)) {
      messages.push(
        `step "${step}" does not declare output "${output}"${didYouMeanSuffix(output, declared)}`,
      );
    }
  }
  return messages;
}

function stepProblem(id: string, site: ExpressionSite, known: Known): string | undefined {
  if (!known.outputsOf.has(id))
    return `step "${id}" does not exist${didYouMeanSuffix(id, [...known.outputsOf.keys()])}`;
  const { scope } = site;
  switch (scope.type) {
    case 'all':
      return undefined;
    case 'none':
      return `cannot reference steps.${id} here: ${scope.reason}`;
    case 'upstream':
      if (id === scope.step)
        return scope.includeSelf ? undefined : `step "${id}" cannot reference itself here`;
      if (known.ancestors.get(scope.step)?.has(id) === true) return undefined;
      return `step "${id}" is not upstream of "${scope.step}"; add it to needs`;
  }
}
