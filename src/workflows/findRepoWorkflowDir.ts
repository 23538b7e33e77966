import { join } from 'node:path';

/** Where a repository keeps its workflows: `<root>/.baton/workflows`. */
export function findRepoWorkflowDir(repoRoot: string): string {
  return join(repoRoot, '.baton', 'workflows');
}
