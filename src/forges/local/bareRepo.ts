import { realpath } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatonError } from '../../domain/errors.ts';
import { isGitError } from '../git/GitError.ts';
import { mirrorGit, resolveRef } from '../git/worktreeGit.ts';

/** A bare repository of the local forge. */
export interface BareRepo {
  /** canonical absolute path: the key of its pull requests and statuses */
  path: string;
  /** the directory name without `.git`, for URLs and messages */
  name: string;
}

/**
 * The bare repository a `repo` argument names: a path (absolute, or relative to the working
 * directory) or a `file://` URL. `not_found` when nothing is there, `invalid_input` when it is
 * not a bare git repository.
 */
export async function resolveBareRepo(repo: string, signal: AbortSignal): Promise<BareRepo> {
  if (repo.trim() === '') throw new BatonError('invalid_input', 'the repository path is empty');
  let path: string;
  try {
    path = repo.startsWith('file:') ? fileURLToPath(repo) : resolve(repo);
    path = await realpath(path);
  } catch (e) {
    throw new BatonError('not_found', `repository ${repo} does not exist`, {
      cause: e,
      hint: 'the local forge takes the path (or file:// URL) of a bare git repository',
    });
  }
  let bare: string;
  try {
    bare = (await mirrorGit(path, ['rev-parse', '--is-bare-repository'], { signal })).stdout.trim();
  } catch (e) {
    if (isGitError(e) && e.kind === 'exit') {
      throw new BatonError('invalid_input', `${repo} is not a git repository`, { cause: e });
    }
    throw e;
  }
  if (bare !== 'true') {
    throw new BatonError('invalid_input', `${repo} is not a bare git repository`, {
      hint: 'create one with `git init --bare` (or `git clone --bare`) and push branches to it',
    });
  }
  return { path, name: basename(path).replace(/\.git$/, '') || basename(path) };
}

/** The commit `refs/heads/<branch>` points at, or null when there is no such branch. */
export function branchSha(repo: BareRepo, branch: string, signal: AbortSignal): Promise<string | null> {
  return resolveRef(repo.path, `refs/heads/${branch}^{commit}`, signal);
}

/** Whether `ancestor` is reachable from `descendant`. */
export async function isAncestor(
  repo: BareRepo,
  ancestor: string,
  descendant: string,
  signal: AbortSignal,
): Promise<boolean> {
  const r = await mirrorGit(repo.path, ['merge-base', '--is-ancestor', ancestor, descendant], {
    signal,
    okExitCodes: [0, 1],
  });
  return r.exitCode === 0;
}

/**
 * Move `refs/heads/<branch>` from `oldSha` to `newSha`, only if it is still at `oldSha`: a branch
 * that moved meanwhile is a retryable `conflict`.
 */
export async function updateBranch(
  repo: BareRepo,
  branch: string,
  newSha: string,
  oldSha: string,
  reason: string,
  signal: AbortSignal,
): Promise<void> {
  try {
    await mirrorGit(repo.path, ['update-ref', '-m', reason, `refs/heads/${branch}`, newSha, oldSha], {
      signal,
    });
  } catch (e) {
    if (isGitError(e) && e.kind === 'exit') {
      throw new BatonError('conflict', `branch ${branch} of ${repo.name} moved during the merge`, {
        cause: e,
        retryable: true,
        hint: 'retry: the merge is computed again against the new base',
      });
    }
    throw e;
  }
}
