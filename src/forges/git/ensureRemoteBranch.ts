import { BatonError } from '../../domain/errors.ts';
import { branchNameProblem } from '../../domain/git/refFormat.ts';
import type { GitCredentials } from './GitCredentials.ts';
import { remoteTrackingRef } from './gitPaths.ts';
import { pushFromMirror } from './pushFromMirror.ts';
import { resolveRef } from './worktreeGit.ts';

export interface EnsureRemoteBranchInput {
  mirrorDir: string;
  branch: string;
  /** the remote branch it starts from when it does not exist yet */
  from: string;
  credentials: GitCredentials;
  signal: AbortSignal;
}

/**
 * Makes sure `branch` exists on the mirror's remote: when the mirror does not know it, it is
 * created there at the tip of `from` (a plain push of that commit: it never moves an existing
 * branch, so a concurrent creation at another commit is refused, not overwritten). The mirror's
 * remote-tracking ref follows, so worktrees can start from it without a fetch.
 */
export async function ensureRemoteBranch(
  input: EnsureRemoteBranchInput,
): Promise<{ sha: string; created: boolean }> {
  const { mirrorDir, branch, from, signal } = input;
  const existing = await resolveRef(mirrorDir, remoteTrackingRef(branch), signal);
  if (existing !== null) return { sha: existing, created: false };
  const problem = branchNameProblem(branch);
  if (problem !== null) throw new BatonError('invalid_input', `cannot create "${branch}": it ${problem}`);
  const sha = await resolveRef(mirrorDir, remoteTrackingRef(from), signal);
  if (sha === null) {
    throw new BatonError(
      'not_found',
      `cannot create branch "${branch}": "${from}" does not exist on the remote`,
      {
        field: 'base',
        hint: `push a "${from}" branch to the repository first`,
      },
    );
  }
  await pushFromMirror({
    mirrorDir,
    sha,
    branch,
    credentials: input.credentials,
    signal,
    note: 'baton: created',
  });
  return { sha, created: true };
}
