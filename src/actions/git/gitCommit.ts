import { commitAll, pushBranch } from '../../forges/git/commitAndPush.ts';
import { BATON_GIT_IDENTITY } from '../../forges/git/gitEnv.ts';
import { NO_GIT_CREDENTIALS } from '../../forges/git/GitCredentials.ts';
import type { ActionHandler } from '../ActionContext.ts';
import { findBranchWorktree } from './findWorktree.ts';

/**
 * `git/commit`: stage and commit a worktree host-side (the message is the agent's result), then push
 * its branch with the forge's credentials — which the agent never saw. A step that runs again after
 * a crash finds nothing new to commit and pushes the same commit again (a no-op on the remote).
 */
export const gitCommit: ActionHandler<{
  path: string;
  repository?: string | undefined;
  message: string;
  push: boolean;
  force: boolean;
  author_name?: string | undefined;
  author_email?: string | undefined;
}> = async (input, ctx) => {
  const wt = await findBranchWorktree(ctx.worktrees, input.path);
  const location = { path: wt.path, adminDir: wt.adminDir, mirrorDir: wt.mirrorDir };
  const author = {
    name: input.author_name ?? BATON_GIT_IDENTITY.name,
    email: input.author_email ?? BATON_GIT_IDENTITY.email,
  };
  const sha = await commitAll({ worktree: location, message: input.message, author, signal: ctx.signal });
  await ctx.log(sha === null ? 'nothing new to commit' : `committed ${sha.slice(0, 12)} on ${wt.branch}`);
  if (!input.push)
    return { sha: sha ?? '', committed: String(sha !== null), pushed: 'false', branch: wt.branch };
  // the forge's credentials for the push (local repositories need none)
  let credentials = NO_GIT_CREDENTIALS;
  if (input.repository !== undefined) {
    const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
    credentials = (await repo.forge.remote(repo.ref, ctx.signal)).credentials;
  }
  const pushed = await pushBranch({
    worktree: location,
    branch: wt.branch,
    credentials,
    forceWithLease: input.force,
    signal: ctx.signal,
  });
  await ctx.log(`pushed ${pushed.sha.slice(0, 12)} to ${pushed.ref}`);
  return { sha: pushed.sha, committed: String(sha !== null), pushed: 'true', branch: wt.branch };
};
