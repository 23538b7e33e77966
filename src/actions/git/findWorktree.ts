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
