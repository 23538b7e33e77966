import type { ActionHandler } from '../ActionContext.ts';
import { findWorktree } from './findWorktree.ts';

/** `git/cleanup`: remove the run's worktree (its branch stays on the remote). Idempotent. */
export const gitCleanup: ActionHandler<{ path: string }> = async (input, ctx) => {
  const wt = await findWorktree(ctx.worktrees, input.path).catch(() => null);
  if (wt === null) {
    await ctx.log(`no worktree at ${input.path} (already removed)`);
    return { removed: 'false' };
  }
  // the mirror's local branch goes too (its commits are on the remote): a later run on the same
  // branch then starts from the remote's tip, not from this run's stale copy
  await ctx.worktrees.remove(
    { path: wt.path, mirrorDir: wt.mirrorDir },
    ctx.signal,
    wt.branch === null ? {} : { deleteBranch: wt.branch },
  );
  await ctx.log(`removed worktree ${wt.path}`);
  return { removed: 'true' };
};
