import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { WorkflowIssue } from '../domain/workflow/formatWorkflowIssue.ts';
import { locateSourcePath } from '../domain/workflow/locateSourcePath.ts';
import type { WorkflowDefinition } from '../domain/workflow/types.ts';
import { loadWorkflowFile, WORKFLOW_EXTENSIONS } from './loadWorkflowFile.ts';

export interface LoadedWorkflow {
  workflow: WorkflowDefinition;
  file: string;
  source: string;
}

/**
 * Loads every `*.yaml`, `*.yml` and `*.json` file directly in each directory (not recursive; files in
 * name order; a missing directory is skipped). Invalid files contribute their issues to `errors` and
 * are left out; a workflow name defined by two files is an error naming both, and only the first
 * file (in directory order, then name order) is kept.
 */
export function loadWorkflowDirs(dirs: readonly string[]): {
  workflows: LoadedWorkflow[];
  errors: WorkflowIssue[];
} {
  const workflows: LoadedWorkflow[] = [];
  const errors: WorkflowIssue[] = [];
  const byName = new Map<string, string>();
  for (const dir of dirs) {
    for (const file of listWorkflowFiles(dir, errors)) {
      let loaded;
      try {
        loaded = loadWorkflowFile(file);
      } catch (e) {
        errors.push({ file, path: '', message: (e as Error).message.replace(`${file}: `, '') });
        continue;
      }
      if (!loaded.ok) {
        errors.push(...loaded.errors);
        continue;
      }
      const { name } = loaded.workflow;
      const first = byName.get(name);
      if (first !== undefined) {
        const at = locateSourcePath(loaded.source, ['name']);
        errors.push({
          file,
          ...at,
          path: 'name',
          message: `duplicate workflow name "${name}": already defined in ${first}`,
        });
        continue;
      }
      byName.set(name, file);
      workflows.push({ workflow: loaded.workflow, file, source: loaded.source });
    }
  }
  return { workflows, errors };
}

function listWorkflowFiles(dir: string, errors: WorkflowIssue[]): string[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) {
      errors.push({ file: dir, path: '', message: 'not a directory' });
      return [];
    }
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    errors.push({ file: dir, path: '', message: `cannot read directory: ${(e as Error).message}` });
    return [];
  }
  return names
    .filter((n) => (WORKFLOW_EXTENSIONS as readonly string[]).includes(extname(n).toLowerCase()))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}
