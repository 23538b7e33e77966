import { BatonError } from '../../domain/errors.ts';
import { isTerminalRun } from '../../domain/runStatus.ts';
import type { ActionContext } from '../ActionContext.ts';

/**
 * A branch is checked out in one worktree at a time. Before this run takes `branch`, a worktree of
 * a run that has ended (or no longer exists) that still holds it is removed — with its local
 * branch, so the new worktree starts from what was pushed, not from what the ended run left
 * unpushed. A live run's worktree is never taken: that is a clear error naming the run.
 */
export async function releaseEndedHolders(
  ctx: ActionContext,
  mirrorDir: string,
  branch: string,
): Promise<string[]> {
  const holders = (await ctx.worktrees.list()).filter(
    (w) => w.mirrorDir === mirrorDir && w.branch === branch && w.run !== ctx.job.runId,
  );
  const released: string[] = [];
  for (const w of holders) {
    const run = ctx.getRun ? await ctx.getRun(w.run) : undefined;
    const ended = ctx.getRun !== undefined && (run === undefined || isTerminalRun(run.status));
    if (!ended)
      throw new BatonError(
        'conflict',
        `branch "${branch}" is checked out in ${w.path}, the worktree of run ${w.run}${run ? ` (${run.status})` : ''}`,
        {
          retryable: true,
          hint: 'a branch is worked on by one run at a time: wait for that run to end, or cancel it',
        },
      );
    await ctx.worktrees.remove({ path: w.path, mirrorDir: w.mirrorDir }, ctx.signal, {
      deleteBranch: branch,
    });
    released.push(w.path);
    await ctx.log(`removed ${w.path}: run ${w.run} (${run?.status ?? 'gone'}) still held ${branch}`);
  }
  return released;
}
