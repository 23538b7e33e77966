import { checkAgentSteps } from './checkAgentSteps.ts';
import { checkExpressions } from './checkExpressions.ts';
import { checkInputSpecs } from './checkInputSpecs.ts';
import { checkStepGraph } from './checkStepGraph.ts';
import { checkUsesSteps } from './checkUsesSteps.ts';
import type { PathIssue } from './formatIssuePath.ts';
import { stepAncestors } from './stepAncestors.ts';
import type { WorkflowDefinition } from './types.ts';

/** The rules the schema cannot express, run on a schema-valid workflow. All problems are collected. */
export function checkWorkflowSemantics(workflow: WorkflowDefinition): {
  errors: PathIssue[];
  warnings: PathIssue[];
} {
  const ancestors = stepAncestors(workflow.steps);
  const inputs = checkInputSpecs(workflow);
  const errors = [
    ...inputs.errors,
    ...checkStepGraph(
      workflow.steps.map((step, index) => ({ ...step, index })),
      ancestors,
    ),
    ...checkExpressions(workflow, ancestors),
    ...checkAgentSteps(workflow, ancestors),
    ...checkUsesSteps(workflow),
  ];
  return { errors, warnings: inputs.warnings };
}
