import { resolve } from 'node:path';
import { BatonError } from '../../domain/errors.ts';
import type { WorktreeInfo } from '../../forges/git/listWorktrees.ts';
import type { Worktrees } from '../../forges/git/worktrees.ts';

/** The worktree at `path` (a `git/workspace` output), or a clear error. */
export async function findWorktree(
  worktrees: Worktrees,
  path: string,
): Promise<WorktreeInfo & { mirrorDir: string; adminDir: string }> {
  const want = resolve(path);
  const found = (await worktrees.list()).find((w) => resolve(w.path) === want);
  if (!found || found.mirrorDir === null || found.adminDir === null) {
    throw new BatonError('invalid_input', `no Baton worktree at ${path}`, {
      field: 'with.path',
      hint: 'pass the path output of a git/workspace step: {{ steps.<id>.outputs.path }}',
    });
  }
  return { ...found, mirrorDir: found.mirrorDir, adminDir: found.adminDir };
}

/** The worktree at `path`, which must be on a branch (commits and pushes go to it). */
export async function findBranchWorktree(
  worktrees: Worktrees,
  path: string,
): Promise<Awaited<ReturnType<typeof findWorktree>> & { branch: string }> {
  const wt = await findWorktree(worktrees, path);
  if (wt.branch === null)
    throw new BatonError('invalid_input', `the worktree at ${path} is not on a branch`, {
      field: 'with.path',
      hint: 'pass the path output of a git/workspace step',
    });
  return { ...wt, branch: wt.branch };
}
