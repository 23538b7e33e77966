import type { PathSegment } from './formatIssuePath.ts';
import type { StepSpec, WorkflowDefinition } from './types.ts';

/** Which `steps.X` an expression may read. */
export type StepScope =
  | { type: 'none'; reason: string }
  | { type: 'all' }
  | { type: 'upstream'; step: string; includeSelf: boolean };

/** One place of a workflow holding a CEL expression or a `{{ }}` template, with what it may reference. */
export interface ExpressionSite {
  /** path in the file (snake_case keys) */
  path: PathSegment[];
  kind: 'expression' | 'template';
  text: string;
  scope: StepScope;
  /** variables besides inputs, steps, run and env (the fan-out item and index) */
  extraRoots: string[];
  /** the only variables it may read, instead of inputs, steps, run and env (event triggers: `event`) */
  roots?: readonly string[];
}

/** What an event or github trigger's `if` and `inputs` may read. */
export const TRIGGER_ROOTS: readonly string[] = ['event'];

const BEFORE_STEPS = 'it is evaluated before any step runs';

/** Every expression and template of a normalised workflow, in file order. */
export function collectExpressionSites(workflow: WorkflowDefinition): ExpressionSite[] {
  const sites: ExpressionSite[] = [];
  const add = (
    path: PathSegment[],
    kind: ExpressionSite['kind'],
    text: string,
    scope: StepScope,
    extraRoots: string[] = [],
  ): void => {
    sites.push({ path, kind, text, scope, extraRoots });
  };
  const none: StepScope = { type: 'none', reason: BEFORE_STEPS };
  workflow.triggers.forEach((trigger, i) => {
    if (trigger.type !== 'event' && trigger.type !== 'github') return;
    const at: PathSegment[] = ['triggers', i, trigger.type];
    const scope: StepScope = { type: 'none', reason: 'a trigger is evaluated before the run exists' };
    const site = (path: PathSegment[], kind: ExpressionSite['kind'], text: string): void => {
      sites.push({ path, kind, text, scope, extraRoots: [], roots: TRIGGER_ROOTS });
    };
    if (trigger.if !== undefined) site([...at, 'if'], 'expression', trigger.if);
    collectValueSites(trigger.inputs, [...at, 'inputs'], (path, text) => site(path, 'template', text));
  });
  if (workflow.concurrency !== undefined)
    add(['concurrency', 'key'], 'template', workflow.concurrency.key, none);
  for (const [name, value] of Object.entries(workflow.env)) add(['env', name], 'template', value, none);
  if (workflow.defaults.workingDirectory !== undefined) {
    add(['defaults', 'working_directory'], 'template', workflow.defaults.workingDirectory, {
      type: 'none',
      reason: 'defaults apply to every step',
    });
  }
  workflow.steps.forEach((step, i) => collectStepSites(step, ['steps', i], add));
  for (const [name, value] of Object.entries(workflow.outputs))
    add(['outputs', name], 'template', value, { type: 'all' });
  return sites;
}

type Add = (
  path: PathSegment[],
  kind: ExpressionSite['kind'],
  text: string,
  scope: StepScope,
  extraRoots?: string[],
) => void;

function collectStepSites(step: StepSpec, at: PathSegment[], add: Add): void {
  const upstream: StepScope = { type: 'upstream', step: step.id, includeSelf: false };
  if (step.if !== undefined) add([...at, 'if'], 'expression', step.if, upstream);
  for (const [name, value] of Object.entries(step.env))
    add([...at, 'env', name], 'template', value, upstream);
  switch (step.kind) {
    case 'run':
      add([...at, 'run'], 'template', step.run, upstream);
      if (step.workingDirectory !== undefined)
        add([...at, 'working_directory'], 'template', step.workingDirectory, upstream);
      break;
    case 'agent':
      add([...at, 'agent', 'prompt'], 'template', step.agent.prompt, upstream);
      if (step.agent.source !== undefined) {
        add([...at, 'agent', 'source', 'repository'], 'template', step.agent.source.repository, upstream);
        if (step.agent.source.branch !== undefined)
          add([...at, 'agent', 'source', 'branch'], 'template', step.agent.source.branch, upstream);
      }
      if (step.agent.commit?.message !== undefined)
        add([...at, 'agent', 'commit', 'message'], 'template', step.agent.commit.message, upstream);
      if (step.agent.commit?.repository !== undefined)
        add([...at, 'agent', 'commit', 'repository'], 'template', step.agent.commit.repository, upstream);
      if (step.workingDirectory !== undefined)
        add([...at, 'working_directory'], 'template', step.workingDirectory, upstream);
      break;
    case 'uses':
      collectValueSites(step.with, [...at, 'with'], (path, text) => add(path, 'template', text, upstream));
      break;
    case 'approval':
      if (step.approval.message !== undefined)
        add([...at, 'approval', 'message'], 'template', step.approval.message, upstream);
      break;
    case 'wait':
      if (step.wait.until !== undefined) add([...at, 'wait', 'until'], 'template', step.wait.until, upstream);
      if (step.wait.if !== undefined)
        add([...at, 'wait', 'if'], 'expression', step.wait.if, upstream, ['event']);
      break;
    case 'workflow': {
      const { forEach, as } = step.workflow;
      if (forEach !== undefined) add([...at, 'workflow', 'for_each'], 'expression', forEach, upstream);
      const extra = forEach === undefined ? [] : [as ?? 'item', 'index'];
      if (step.workflow.name.includes('{{'))
        add([...at, 'workflow', 'name'], 'template', step.workflow.name, upstream);
      collectValueSites(step.workflow.inputs, [...at, 'workflow', 'inputs'], (path, text) =>
        add(path, 'template', text, upstream, extra),
      );
      break;
    }
  }
  step.on.forEach((route, j) => {
    if (route.if !== undefined)
      add([...at, 'on', j, 'if'], 'expression', route.if, {
        type: 'upstream',
        step: step.id,
        includeSelf: true,
      });
  });
}

function collectValueSites(
  value: unknown,
  path: PathSegment[],
  add: (path: PathSegment[], text: string) => void,
): void {
  if (typeof value === 'string') add(path, value);
  else if (Array.isArray(value)) value.forEach((item, i) => collectValueSites(item, [...path, i], add));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectValueSites(v, [...path, k], add);
  }
}
