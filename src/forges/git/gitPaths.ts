import { join } from 'node:path';
import { safePathSegment } from '../../domain/git/pathSegment.ts';

/** The remote name every mirror uses. */
export const MIRROR_REMOTE = 'origin';

/**
 * Where a remote branch lives in a mirror. Mirrors keep the remote's branches as remote-tracking
 * refs, so fetching never collides with the local branches checked out in worktrees.
 */
export function remoteTrackingRef(branch: string): string {
  return `refs/remotes/${MIRROR_REMOTE}/${branch}`;
}

/** `<dataDir>/git/mirrors` */
export function mirrorsRoot(dataDir: string): string {
  return join(dataDir, 'git', 'mirrors');
}

/** `<dataDir>/git/worktrees` */
export function worktreesRoot(dataDir: string): string {
  return join(dataDir, 'git', 'worktrees');
}

/** `<dataDir>/git/worktrees/<run>/<key>`; both parts must be safe directory names. */
export function worktreePath(dataDir: string, run: string, key: string): string {
  return join(worktreesRoot(dataDir), safePathSegment(run, 'run id'), safePathSegment(key, 'worktree key'));
}
