import { basename, dirname, resolve } from 'node:path';
import { formatWorkflowIssue } from '../domain/workflow/formatWorkflowIssue.ts';
import type { WorkflowDefinition } from '../domain/workflow/types.ts';
import type { Engine } from '../engine/engine.ts';
import type { Logger } from '../engine/engineDeps.ts';
import { loadWorkflowDirs } from '../workflows/loadWorkflowDirs.ts';

export interface RegisterResult {
  /** names of the workflows registered (unchanged ones included) */
  registered: string[];
  /** one formatted line per problem (`file:line:col: path: message`) */
  errors: string[];
}

/**
 * The working directory of a workflow file's `run:` steps: the repository root for a file in
 * `<repo>/.baton/workflows/`, otherwise the file's own directory.
 */
export function workflowBaseDir(file: string): string {
  const dir = dirname(resolve(file));
  if (basename(dir) === 'workflows' && basename(dirname(dir)) === '.baton') return dirname(dirname(dir));
  return dir;
}

/** Registers one parsed workflow file (origin `file`). */
export function registerWorkflowFile(
  engine: Engine,
  workflow: WorkflowDefinition,
  file: string,
  source: string,
) {
  const path = resolve(file);
  return engine.registerWorkflow(workflow, {
    source,
    origin: 'file',
    sourcePath: path,
    baseDir: workflowBaseDir(path),
  });
}

/**
 * Loads every workflow file of each directory (missing directories are skipped) and registers it.
 * An invalid file is reported (each issue formatted) and skipped; the others are still registered.
 */
export async function registerWorkflowDirs(
  engine: Engine,
  dirs: readonly string[],
  logger: Logger,
  signal?: AbortSignal,
): Promise<RegisterResult> {
  const { workflows, errors: issues } = loadWorkflowDirs(dirs);
  const errors = issues.map(formatWorkflowIssue);
  for (const line of errors) logger.warn({ issue: line }, 'invalid workflow file skipped');
  const registered: string[] = [];
  for (const w of workflows) {
    signal?.throwIfAborted();
    try {
      const record = await registerWorkflowFile(engine, w.workflow, w.file, w.source);
      registered.push(record.name);
      logger.debug({ workflow: record.name, version: record.version, file: w.file }, 'workflow registered');
    } catch (e) {
      const line = `${w.file}: cannot register workflow "${w.workflow.name}": ${(e as Error).message}`;
      errors.push(line);
      logger.error({ file: w.file, err: (e as Error).message }, 'workflow registration failed');
    }
  }
  return { registered, errors };
}
