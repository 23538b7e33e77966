import { BatonError } from '../../domain/errors.ts';
import { runGit, type GitResult } from '../git/runGit.ts';
import type { BareRepo } from './bareRepo.ts';
import { withTempWorktree } from './tempWorktree.ts';

/** The outcome of a merge attempt: the new commit (null for a check), or the files in conflict. */
export type MergeOutcome = { sha: string | null; conflicts: [] } | { sha: null; conflicts: string[] };

export interface WorktreeMergeInput {
  repo: BareRepo;
  baseSha: string;
  headSha: string;
  tmpRoot: string;
  signal: AbortSignal;
}

/**
 * A merge of `head` into `base` in a temporary worktree (for git older than 2.38, which has no
 * `merge-tree --write-tree`): `check` only reports conflicts, `merge` commits a merge commit
 * (`--no-ff`), `squash` one commit with the combined change. Returns the new commit; the base
 * branch is not moved.
 */
export function mergeInWorktree(
  input: WorktreeMergeInput & { mode: 'check' | 'merge' | 'squash'; message: string },
): Promise<MergeOutcome> {
  const { repo, baseSha, headSha, tmpRoot, signal } = input;
  return withTempWorktree(repo, baseSha, tmpRoot, signal, async (cwd) => {
    const args =
      input.mode === 'squash' ? ['merge', '--squash', headSha] : ['merge', '--no-ff', '--no-commit', headSha];
    const merged = await runGit(args, { cwd, signal, okExitCodes: [0, 1] });
    if (merged.exitCode !== 0) return { sha: null, conflicts: await conflictedFiles(cwd, merged, signal) };
    if (input.mode === 'check') return { sha: null, conflicts: [] };
    await runGit(['commit', '--allow-empty', '--no-verify', '--quiet', '-F', '-'], {
      cwd,
      signal,
      input: input.message,
    });
    return { sha: await head(cwd, signal), conflicts: [] };
  });
}

/**
 * `head`'s commits replayed onto `base` (`git rebase` in a temporary worktree detached at head):
 * the new tip, a descendant of base with linear history. On a conflict the rebase is aborted and
 * the files are returned.
 */
export function rebaseInWorktree(input: WorktreeMergeInput): Promise<MergeOutcome> {
  const { repo, baseSha, headSha, tmpRoot, signal } = input;
  return withTempWorktree(repo, headSha, tmpRoot, signal, async (cwd) => {
    const rebased = await runGit(['rebase', '--quiet', '--no-autosquash', baseSha], {
      cwd,
      signal,
      okExitCodes: [0, 1],
    });
    if (rebased.exitCode !== 0) {
      const conflicts = await conflictedFiles(cwd, rebased, signal);
      await runGit(['rebase', '--abort'], { cwd, signal, okExitCodes: [0, 128] });
      return { sha: null, conflicts };
    }
    return { sha: await head(cwd, signal), conflicts: [] };
  });
}

async function head(cwd: string, signal: AbortSignal): Promise<string> {
  return (await runGit(['rev-parse', 'HEAD'], { cwd, signal })).stdout.trim();
}

async function conflictedFiles(cwd: string, failed: GitResult, signal: AbortSignal): Promise<string[]> {
  const r = await runGit(['diff', '--name-only', '-z', '--diff-filter=U'], { cwd, signal });
  const files = [...new Set(r.stdout.split('\0').filter((s) => s !== ''))];
  if (files.length > 0) return files;
  throw new BatonError('internal', `git failed without a conflict: ${failed.stderr.trim().slice(-500)}`);
}
