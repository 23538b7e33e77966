import { isLockHolderDead } from './worktreeLock.ts';
import type { WorktreeInfo } from './listWorktrees.ts';

export interface CleanupOptions {
  /** remove worktrees idle (released, or abandoned by a dead holder) for at least this long */
  olderThanMs: number;
  /** true keeps every worktree of that run (e.g. the run is not finished, or retention wants it) */
  keep: (run: string) => boolean;
  signal: AbortSignal;
  /** default Date.now() */
  now?: number;
}

export interface CleanupResult {
  removed: string[];
  /** locked by a live (or unknown) holder */
  inUse: string[];
}

/**
 * Decide and remove: a worktree goes when its run is not kept, nobody alive holds its lock (a lock
 * whose pid is gone on this host is abandoned; one from another host or a human is respected),
 * and its last activity is at least `olderThanMs` ago.
 */
export async function cleanupWorktrees(
  worktrees: WorktreeInfo[],
  opts: CleanupOptions,
  remove: (wt: WorktreeInfo, signal: AbortSignal) => Promise<void>,
): Promise<CleanupResult> {
  const now = opts.now ?? Date.now();
  const result: CleanupResult = { removed: [], inUse: [] };
  for (const wt of worktrees) {
    opts.signal.throwIfAborted();
    if (opts.keep(wt.run)) continue;
    if (wt.lock !== null && !isLockHolderDead(wt.lock)) {
      result.inUse.push(wt.path);
      continue;
    }
    const lockedAt = wt.lock ? Date.parse(wt.lock.at) || 0 : 0;
    if (now - Math.max(wt.touchedAt, lockedAt) < opts.olderThanMs) continue;
    await remove(wt, opts.signal);
    result.removed.push(wt.path);
  }
  return result;
}
