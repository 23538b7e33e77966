import { mirrorGit } from '../git/worktreeGit.ts';
import type { BareRepo } from './bareRepo.ts';

/** A merge computed without a worktree: the merged tree, and the conflicted paths (empty when clean). */
export interface TreeMerge {
  tree: string;
  conflicts: string[];
}

/**
 * `git merge-tree --write-tree` of `head` into `base` (git ≥ 2.38): writes the merged tree into
 * the object database and lists the conflicted files; the refs and any checkout are untouched.
 */
export async function mergeTree(
  repo: BareRepo,
  baseSha: string,
  headSha: string,
  signal: AbortSignal,
): Promise<TreeMerge> {
  const r = await mirrorGit(
    repo.path,
    ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', baseSha, headSha],
    { signal, okExitCodes: [0, 1] },
  );
  const [tree = '', ...files] = r.stdout.split('\0').filter((s) => s !== '');
  return { tree, conflicts: r.exitCode === 0 ? [] : [...new Set(files)] };
}
