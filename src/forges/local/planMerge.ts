import type { MergeMethod } from '../Forge.ts';
import { mirrorGit } from '../git/worktreeGit.ts';
import type { BareRepo } from './bareRepo.ts';
import { mergeTree } from './mergeTree.ts';
import { mergeInWorktree, rebaseInWorktree, type MergeOutcome } from './worktreeMerge.ts';

export interface PlanMergeInput {
  repo: BareRepo;
  baseSha: string;
  headSha: string;
  method: MergeMethod;
  /** the message of a merge or squash commit */
  message: string;
  /** true: `merge-tree --write-tree` + `commit-tree` (git ≥ 2.38); false: a temporary worktree */
  useMergeTree: boolean;
  tmpRoot: string;
  signal: AbortSignal;
}

/**
 * The commit the base branch would move to, written to the object database but not referenced
 * yet (the caller records it, then moves the branch with a guarded update-ref): a merge commit
 * with parents base and head, one squashed commit on base, or head's commits replayed onto base
 * (which is head itself when base is already its ancestor). Conflicts list the files.
 */
export async function planMerge(p: PlanMergeInput): Promise<MergeOutcome> {
  const { repo, baseSha, headSha, signal } = p;
  if (p.method === 'rebase') {
    return rebaseInWorktree({ repo, baseSha, headSha, tmpRoot: p.tmpRoot, signal });
  }
  if (!p.useMergeTree) {
    return mergeInWorktree({
      repo,
      baseSha,
      headSha,
      tmpRoot: p.tmpRoot,
      signal,
      mode: p.method,
      message: p.message,
    });
  }
  const merged = await mergeTree(repo, baseSha, headSha, signal);
  if (merged.conflicts.length > 0) return { sha: null, conflicts: merged.conflicts };
  const parents = p.method === 'merge' ? ['-p', baseSha, '-p', headSha] : ['-p', baseSha];
  const commit = await mirrorGit(repo.path, ['commit-tree', merged.tree, ...parents, '-F', '-'], {
    signal,
    input: p.message,
  });
  return { sha: commit.stdout.trim(), conflicts: [] };
}

/** Whether head merges cleanly into base, and the conflicting files when not (nothing is written to refs). */
export async function checkMerge(p: Omit<PlanMergeInput, 'method' | 'message'>): Promise<string[]> {
  if (p.useMergeTree) return (await mergeTree(p.repo, p.baseSha, p.headSha, p.signal)).conflicts;
  const r = await mergeInWorktree({ ...p, mode: 'check', message: '' });
  return r.conflicts;
}
