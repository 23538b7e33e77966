import { BatonError } from '../../domain/errors.ts';
import { pushBranch } from '../../forges/git/commitAndPush.ts';
import { BATON_GIT_IDENTITY } from '../../forges/git/gitEnv.ts';
import { mergeFromRemote } from '../../forges/git/mergeFromRemote.ts';
import { issuesOf, type ActionHandler } from '../ActionContext.ts';
import { ActionFailed } from '../ActionFailed.ts';
import { findBranchWorktree } from './findWorktree.ts';

/**
 * `git/update`: brings a worktree's branch up to date with another branch of the remote (its pull
 * request's target: `from`, or the issue's), fetched first — a merge host-side, pushed unless
 * `push: false`. Conflicts fail the step naming the files (output `conflicts`), with the branch left
 * as it was, so `on: failure` can send an agent to resolve them.
 */
export const gitUpdate: ActionHandler<{
  path: string;
  repository: string;
  from?: string | undefined;
  issue?: string | undefined;
  push: boolean;
}> = async (input, ctx) => {
  const wt = await findBranchWorktree(ctx.worktrees, input.path);
  const from =
    input.from ?? (input.issue === undefined ? undefined : (await issuesOf(ctx).plan(input.issue)).prTarget);
  if (from === undefined)
    throw new BatonError('invalid_input', 'git/update needs with.from (or with.issue)', {
      field: 'with.from',
    });
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  await ctx.mirrors(repo, ctx.signal); // fetched: origin/<from> is current
  const location = { path: wt.path, adminDir: wt.adminDir, mirrorDir: wt.mirrorDir };
  const r = await mergeFromRemote({
    worktree: location,
    branch: wt.branch,
    from,
    committer: BATON_GIT_IDENTITY,
    signal: ctx.signal,
  });
  if (!r.ok)
    throw new ActionFailed(
      `merging ${from} into ${wt.branch} conflicts in ${r.conflicts.join(', ')}: resolve them on ${wt.branch} (the merge was aborted), then run this step again`,
      { conflicts: r.conflicts.join('\n'), merged: 'false', from },
    );
  await ctx.log(
    r.merged ? `merged ${from} into ${wt.branch}: ${r.sha.slice(0, 12)}` : `${wt.branch} already has ${from}`,
  );
  if (!r.merged || !input.push)
    return { merged: String(r.merged), sha: r.sha, pushed: 'false', from, conflicts: '' };
  const { credentials } = await repo.forge.remote(repo.ref, ctx.signal);
  const pushed = await pushBranch({ worktree: location, branch: wt.branch, credentials, signal: ctx.signal });
  await ctx.log(`pushed ${pushed.sha.slice(0, 12)} to ${pushed.ref}`);
  return { merged: 'true', sha: pushed.sha, pushed: 'true', from, conflicts: '' };
};
