import { didYouMean } from '../domain/didYouMean.ts';
import { BatonError, isBatonError } from '../domain/errors.ts';
import type { Engine } from '../engine/engine.ts';
import { registerWorkflowFile } from '../main/registerWorkflowDirs.ts';
import { loadWorkflowDirs } from '../workflows/loadWorkflowDirs.ts';
import { loadWorkflowArgFile } from './loadWorkflowArgFile.ts';
import { looksLikePath } from './looksLikePath.ts';

export { looksLikePath };

export interface ResolvedWorkflow {
  name: string;
  /** the file it was (re)registered from, if any */
  file?: string;
  warnings: string[];
}

/**
 * The workflow to run: a file path is validated and registered; a name found in the repository's
 * workflow directories (`.baton/workflows`, BATON_WORKFLOW_DIRS) is (re)registered from its file so
 * the run uses what is on disk; otherwise the name must be registered already.
 */
export async function resolveWorkflowArg(
  engine: Engine,
  arg: string,
  cwd: string,
  dirs: readonly string[],
): Promise<ResolvedWorkflow> {
  if (looksLikePath(arg, cwd)) {
    const { path, loaded, warnings } = loadWorkflowArgFile(arg, cwd);
    const record = await registerWorkflowFile(engine, loaded.workflow, path, loaded.source);
    return { name: record.name, file: path, warnings };
  }

  const local = loadWorkflowDirs(dirs);
  const match = local.workflows.find((w) => w.workflow.name === arg);
  if (match) {
    await registerWorkflowFile(engine, match.workflow, match.file, match.source);
    return { name: arg, file: match.file, warnings: [] };
  }
  try {
    return { name: (await engine.getWorkflow(arg)).name, warnings: [] };
  } catch (e) {
    if (!isBatonError(e, 'not_found')) throw e;
    const names = [
      ...new Set([
        ...(await engine.listWorkflows()).map((w) => w.name),
        ...local.workflows.map((w) => w.workflow.name),
      ]),
    ].sort();
    const guess = didYouMean(arg, names);
    throw new BatonError(
      'not_found',
      `workflow "${arg}" is not registered${guess ? `; did you mean "${guess}"?` : ''}`,
      {
        field: 'workflow',
        hint: guess
          ? `did you mean \`baton run ${guess}\`? (known workflows: ${names.join(', ')})`
          : names.length
            ? `known workflows: ${names.join(', ')}`
            : 'give the path to a workflow file (baton run ./flow.yaml), put workflows in .baton/workflows, or start `baton serve --examples`',
      },
    );
  }
}
