import { BatonError } from '../../domain/errors.ts';
import { formatCommitMessage } from '../../domain/git/commitMessage.ts';
import { branchNameProblem } from '../../domain/git/refFormat.ts';
import type { GitCredentials } from './GitCredentials.ts';
import type { GitIdentity } from './gitEnv.ts';
import { remoteTrackingRef } from './gitPaths.ts';
import { pushFromMirror } from './pushFromMirror.ts';
import { resolveRef, worktreeGit, type WorktreeLocation } from './worktreeGit.ts';

export interface CommitAllInput {
  worktree: WorktreeLocation;
  /** the agent's result text (first line: summary, rest: body), or both parts */
  message: string | { summary: string; body?: string };
  author: GitIdentity;
  /** default Baton <baton@localhost> */
  committer?: GitIdentity;
  signal: AbortSignal;
}

/**
 * Stage everything (`git add -A`, honouring .gitignore) and commit it host-side. Returns the new
 * commit's sha, or null when there was nothing to commit. Hooks never run.
 */
export async function commitAll(input: CommitAllInput): Promise<string | null> {
  const { worktree: wt, signal } = input;
  await worktreeGit(wt, ['add', '-A'], { signal });
  const diff = await worktreeGit(wt, ['diff', '--cached', '--quiet'], { signal, okExitCodes: [0, 1] });
  if (diff.exitCode === 0) return null;
  await worktreeGit(wt, ['commit', '--quiet', '--no-verify', '--cleanup=whitespace', '--file=-'], {
    signal,
    input: formatCommitMessage(input.message),
    author: input.author,
    ...(input.committer ? { committer: input.committer } : {}),
  });
  return (await worktreeGit(wt, ['rev-parse', '--verify', 'HEAD'], { signal })).stdout.trim();
}

export interface PushBranchInput {
  worktree: WorktreeLocation;
  /** pushed to `refs/heads/<branch>` on the mirror's remote */
  branch: string;
  credentials: GitCredentials;
  /**
   * Overwrite the remote branch only if it is still where the mirror last saw it
   * (`--force-with-lease=refs/heads/<branch>:<mirror's sha or nothing>`). Default: fast-forward only.
   */
  forceWithLease?: boolean;
  signal: AbortSignal;
  /** default 10 minutes */
  timeoutMs?: number;
}

export interface PushResult {
  /** the sha now on the remote branch */
  sha: string;
  /** `refs/heads/<branch>` */
  ref: string;
  /** the remote branch's sha before the push per the mirror (null: it did not exist) */
  previous: string | null;
  /** this push created the branch on the remote (git's own report: `[new branch]`) */
  created: boolean;
}

/**
 * Push the worktree's HEAD to the branch on the mirror's remote, with credentials from the port
 * (never stored), then move the mirror's `refs/remotes/origin/<branch>` to it so the mirror stays
 * current without a fetch. A rejected push (the branch moved) is a non-retryable GitError.
 */
export async function pushBranch(input: PushBranchInput): Promise<PushResult> {
  const { worktree: wt, branch, signal } = input;
  const problem = branchNameProblem(branch);
  if (problem !== null) throw new BatonError('invalid_input', `cannot push to "${branch}": it ${problem}`);
  const sha = (await worktreeGit(wt, ['rev-parse', '--verify', 'HEAD'], { signal })).stdout.trim();
  const previous = await resolveRef(wt.mirrorDir, remoteTrackingRef(branch), signal);
  const ref = `refs/heads/${branch}`;
  const out = await pushFromMirror({
    mirrorDir: wt.mirrorDir,
    sha,
    branch,
    options: input.forceWithLease ? [`--force-with-lease=${ref}:${previous ?? ''}`] : [],
    credentials: input.credentials,
    signal,
    note: 'baton: pushed',
    ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
  });
  // git reports each ref the push created (C locale): ` * [new branch]      <sha> -> <branch>`
  const created = out.stderr
    .split('\n')
    .some((l) => /^\s*\* \[new branch\]\s/.test(l) && l.trimEnd().endsWith(` -> ${branch}`));
  return { sha, ref, previous, created };
}

export type CommitAndPushInput = CommitAllInput & Omit<PushBranchInput, 'worktree'>;

/**
 * `commitAll` then `pushBranch`. Commits the agent made itself are pushed too, so `commit` may be
 * null while the push still moves the branch. Whether to push after a failed step is the caller's call.
 */
export async function commitAndPush(
  input: CommitAndPushInput,
): Promise<{ commit: string | null; push: PushResult }> {
  const commit = await commitAll(input);
  const push = await pushBranch({ ...input, worktree: input.worktree });
  return { commit, push };
}
