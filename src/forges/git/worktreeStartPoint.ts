import { BatonError } from '../../domain/errors.ts';
import { remoteTrackingRef } from './gitPaths.ts';
import { resolveRef } from './worktreeGit.ts';

export interface StartPointInput {
  mirrorDir: string;
  branch: string;
  base?: string;
  signal: AbortSignal;
}

/**
 * The `git worktree add` arguments (after the options) that put `branch` in a new worktree:
 * the existing local branch as it is (unpushed commits of an earlier attempt survive); else a new
 * local branch from `origin/<branch>`; else a new one from `base`: an origin branch, a full ref
 * or a sha. New branches are `--no-track`: Baton pushes explicitly.
 */
export async function worktreeStartPoint(
  input: StartPointInput,
): Promise<{ args: (path: string) => string[] }> {
  const { mirrorDir, branch, signal } = input;
  if ((await resolveRef(mirrorDir, `refs/heads/${branch}`, signal)) !== null) {
    return { args: (path) => [path, branch] };
  }
  const remote = remoteTrackingRef(branch);
  const from = (await resolveRef(mirrorDir, remote, signal)) !== null ? remote : await baseRef(input);
  return { args: (path) => ['--no-track', '-b', branch, path, from] };
}

async function baseRef(input: StartPointInput): Promise<string> {
  const { base, mirrorDir, signal } = input;
  if (base === undefined) {
    throw new BatonError(
      'invalid_input',
      `branch "${input.branch}" does not exist yet: pass a base to start it from`,
      {
        field: 'base',
      },
    );
  }
  const remote = remoteTrackingRef(base);
  if ((await resolveRef(mirrorDir, remote, signal)) !== null) return remote;
  const sha = await resolveRef(mirrorDir, `${base}^{commit}`, signal);
  if (sha !== null) return sha;
  throw new BatonError(
    'not_found',
    `base "${base}" is neither a branch on origin nor a commit in ${mirrorDir}`,
    {
      field: 'base',
      hint: 'fetch the mirror first (RepoMirror.ensure) or pass an existing branch or sha',
    },
  );
}
