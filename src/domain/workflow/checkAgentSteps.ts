import { didYouMeanSuffix } from '../didYouMean.ts';
import type { PathIssue } from './formatIssuePath.ts';
import type { WorkflowDefinition } from './types.ts';

const REMOTE = new Set(['jules', 'cursor']);

/**
 * Agent-step rules: `continue` names an agent step that runs before (or is the step itself), and a
 * Jules or Cursor step says which repository the remote agent works on.
 */
export function checkAgentSteps(
  workflow: WorkflowDefinition,
  ancestors: ReadonlyMap<string, ReadonlySet<string>>,
): PathIssue[] {
  const issues: PathIssue[] = [];
  const agentIds = workflow.steps.filter((s) => s.kind === 'agent').map((s) => s.id);
  workflow.steps.forEach((step, i) => {
    if (step.kind !== 'agent') return;
    const target = step.agent.continue;
    if (target !== undefined && target !== step.id) {
      if (!agentIds.includes(target)) {
        issues.push({
          path: ['steps', i, 'agent', 'continue'],
          message: `"${target}" is not an agent step of this workflow${didYouMeanSuffix(target, agentIds)}`,
        });
      } else if (!ancestors.get(step.id)?.has(target)) {
        issues.push({
          path: ['steps', i, 'agent', 'continue'],
          message: `step "${target}" must run before "${step.id}" (add it to needs) to continue its session`,
        });
      }
    }
    if (step.agent.runtime !== undefined && REMOTE.has(step.agent.runtime) && step.agent.commit) {
      issues.push({
        path: ['steps', i, 'agent', 'commit'],
        message: `a ${step.agent.runtime} agent works on its own copy of the repository and opens its own pull request: there is nothing local to commit`,
      });
    }
    if (step.agent.runtime !== undefined && REMOTE.has(step.agent.runtime) && !step.agent.source) {
      issues.push({
        path: ['steps', i, 'agent'],
        message: `a ${step.agent.runtime} step needs source: { repository: owner/repo, branch } (the remote agent clones it)`,
      });
    }
  });
  return issues;
}
