import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BatonError } from '../domain/errors.ts';
import type { WorkflowDefinition } from '../domain/workflow/types.ts';
import { formatWorkflowIssue } from '../domain/workflow/formatWorkflowIssue.ts';
import { loadWorkflowFile } from '../workflows/loadWorkflowFile.ts';

export interface LoadedWorkflowArg {
  path: string;
  loaded: { workflow: WorkflowDefinition; source: string };
  /** formatted, naming the file as it was given */
  warnings: string[];
}

/** The workflow file given to `baton run`, validated: every problem is reported by file:line:column. */
export function loadWorkflowArgFile(arg: string, cwd: string): LoadedWorkflowArg {
  const path = resolve(cwd, arg);
  if (!existsSync(path)) {
    throw new BatonError('not_found', `workflow file ${arg} does not exist`, {
      field: 'workflow',
      hint: 'give a registered workflow name or the path to a .yaml/.json file',
    });
  }
  const loaded = loadWorkflowFile(path);
  const show = (line: string) => line.split(path).join(arg);
  if (!loaded.ok) {
    const lines = loaded.errors.map((i) => show(formatWorkflowIssue(i)));
    throw new BatonError('invalid_workflow', `${arg} is not a valid workflow:\n  ${lines.join('\n  ')}`, {
      field: 'workflow',
      hint: `fix the file and check it with \`baton validate ${arg}\``,
    });
  }
  return { path, loaded, warnings: loaded.warnings.map((i) => show(formatWorkflowIssue(i))) };
}
