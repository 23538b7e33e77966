import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mirrorGit } from '../git/worktreeGit.ts';
import type { BareRepo } from './bareRepo.ts';

const CLEANUP_TIMEOUT_MS = 60_000;

/**
 * Run `fn` in a throw-away detached worktree of the bare repository at `sha` (under `tmpRoot`),
 * then remove it, whatever happened (also when `signal` aborted: the cleanup has its own
 * deadline). The bare repository's refs are not touched: callers move them with update-ref.
 */
export async function withTempWorktree<T>(
  repo: BareRepo,
  sha: string,
  tmpRoot: string,
  signal: AbortSignal,
  fn: (dir: string) => Promise<T>,
): Promise<T> {
  await mkdir(tmpRoot, { recursive: true });
  const root = await mkdtemp(join(tmpRoot, 'baton-forge-'));
  const dir = join(root, 'worktree');
  try {
    await mirrorGit(repo.path, ['worktree', 'add', '--detach', '--quiet', dir, sha], { signal });
    return await fn(dir);
  } finally {
    const cleanup = AbortSignal.timeout(CLEANUP_TIMEOUT_MS);
    await mirrorGit(repo.path, ['worktree', 'remove', '--force', '--force', dir], { signal: cleanup }).catch(
      () => undefined,
    );
    await rm(root, { recursive: true, force: true });
    // drops git's record of the worktree when `remove` could not (the directory is gone now)
    await mirrorGit(repo.path, ['worktree', 'prune'], { signal: cleanup }).catch(() => undefined);
  }
}
