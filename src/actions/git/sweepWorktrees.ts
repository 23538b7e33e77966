import { isTerminalRun } from '../../domain/runStatus.ts';
import type { Worktrees } from '../../forges/git/worktrees.ts';
import type { RunLookup } from '../../runners/agent/sweepAgentHomes.ts';

/**
 * Disk retention: removes the worktrees of runs that ended more than `retentionMs` ago (or no longer
 * exist), whatever their lock — a finished run holds nothing. Worktrees of live runs stay.
 */
export async function sweepWorktrees(
  worktrees: Worktrees,
  getRun: RunLookup,
  retentionMs: number,
  signal: AbortSignal,
  now = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  const verdicts = new Map<string, boolean>();
  for (const wt of await worktrees.list()) {
    let done = verdicts.get(wt.run);
    if (done === undefined) {
      const run = await getRun(wt.run);
      done = !run || (isTerminalRun(run.status) && (run.finishedAt ?? 0) <= now - retentionMs);
      verdicts.set(wt.run, done);
    }
    if (!done) continue;
    await worktrees.remove(
      { path: wt.path, mirrorDir: wt.mirrorDir },
      signal,
      wt.branch === null ? {} : { deleteBranch: wt.branch },
    );
    removed.push(wt.path);
  }
  return removed;
}
