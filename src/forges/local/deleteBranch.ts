import { isGitError } from '../git/GitError.ts';
import { mirrorGit } from '../git/worktreeGit.ts';
import type { DeletedBranch } from '../Forge.ts';
import { branchSha, type BareRepo } from './bareRepo.ts';
import { requireBranch } from './localForgeInput.ts';

/**
 * Compare-and-delete of a branch of the bare repository: `git update-ref -d refs/heads/<b> <sha>`
 * deletes it only while it still points at `expectedSha` (git checks under the ref's lock), so a
 * branch someone moved meanwhile is kept. A branch already gone is not an error.
 */
export async function deleteBranch(
  repo: BareRepo,
  branch: string,
  expectedSha: string,
  signal: AbortSignal,
): Promise<DeletedBranch> {
  const name = requireBranch(branch, 'branch');
  const before = await branchSha(repo, name, signal);
  if (before === null || before !== expectedSha) return { deleted: false, sha: before };
  try {
    await mirrorGit(
      repo.path,
      ['update-ref', '-m', 'baton: compensation', '-d', `refs/heads/${name}`, expectedSha],
      {
        signal,
      },
    );
    return { deleted: true, sha: before };
  } catch (e) {
    // it moved (or went) between the look and the delete: report where it is now
    if (isGitError(e) && e.kind === 'exit')
      return { deleted: false, sha: await branchSha(repo, name, signal) };
    throw e;
  }
}
