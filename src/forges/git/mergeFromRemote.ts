import { BatonError } from '../../domain/errors.ts';
import type { GitIdentity } from './gitEnv.ts';
import { remoteTrackingRef } from './gitPaths.ts';
import { resolveRef, worktreeGit, type WorktreeLocation } from './worktreeGit.ts';

export interface MergeFromRemoteInput {
  worktree: WorktreeLocation;
  /** the worktree's branch (for the merge message) */
  branch: string;
  /** the remote branch merged in (the mirror's `refs/remotes/origin/<from>`, fetched by the caller) */
  from: string;
  committer: GitIdentity;
  signal: AbortSignal;
}

export type MergeFromRemoteResult =
  | { ok: true; merged: boolean; sha: string }
  /** the merge stopped on conflicts and was aborted: the worktree is as it was */
  | { ok: false; conflicts: string[] };

/**
 * Brings a worktree's branch up to date with a remote branch host-side: `git merge` of
 * `origin/<from>` (a fast-forward when it can, else a merge commit by Baton). On conflicts the merge
 * is aborted and the conflicting files are returned, so the branch stays as it was for whoever
 * resolves them. Refused on a worktree with uncommitted changes (commit them first).
 */
export async function mergeFromRemote(input: MergeFromRemoteInput): Promise<MergeFromRemoteResult> {
  const { worktree: wt, from, signal } = input;
  const dirty = (await worktreeGit(wt, ['status', '--porcelain'], { signal })).stdout.trim();
  if (dirty !== '')
    throw new BatonError('invalid_state', `the worktree at ${wt.path} has uncommitted changes`, {
      field: 'with.path',
      hint: 'commit them first (git/commit), then bring the branch up to date',
    });
  const ref = remoteTrackingRef(from);
  if ((await resolveRef(wt.mirrorDir, ref, signal)) === null)
    throw new BatonError('not_found', `branch "${from}" does not exist on the remote`, {
      field: 'with.from',
    });
  const head = async () =>
    (await worktreeGit(wt, ['rev-parse', '--verify', 'HEAD'], { signal })).stdout.trim();
  const before = await head();
  const merge = await worktreeGit(
    wt,
    ['merge', '--no-edit', '-m', `Merge ${from} into ${input.branch}`, '--end-of-options', ref],
    { signal, committer: input.committer, author: input.committer, okExitCodes: [0, 1] },
  );
  if (merge.exitCode !== 0) {
    const unmerged = await worktreeGit(wt, ['diff', '--name-only', '--diff-filter=U'], { signal });
    await worktreeGit(wt, ['merge', '--abort'], { signal });
    const conflicts = unmerged.stdout.split('\n').filter(Boolean);
    return { ok: false, conflicts };
  }
  const after = await head();
  return { ok: true, merged: after !== before, sha: after };
}
