import { runBranchName } from '../../domain/git/branchName.ts';
import { issuesOf, type ActionHandler } from '../ActionContext.ts';

/** `git/workspace`: a worktree of the repository's mirror for this run, on its branch. */
export const gitWorkspace: ActionHandler<{
  repository: string;
  branch?: string | undefined;
  base?: string | undefined;
  slug?: string | undefined;
  key?: string | undefined;
  issue?: string | undefined;
}> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  const { dir } = await ctx.mirrors(repo, ctx.signal);
  // an issue of the tree gives its own branch, started from its base (the parent's, or integration)
  const plan = input.issue === undefined ? undefined : await issuesOf(ctx).plan(input.issue);
  const base = input.base ?? plan?.base ?? (await repo.forge.defaultBranch(repo.ref, ctx.signal));
  const branch = input.branch ?? plan?.branch ?? runBranchName(ctx.job.runId, input.slug ?? ctx.job.stepKey);
  const wt = await ctx.worktrees.create({
    mirrorDir: dir,
    run: ctx.job.runId,
    key: input.key ?? (input.issue === undefined ? 'run' : `issue-${input.issue}`),
    branch,
    base,
    owner: `run:${ctx.job.runId}`,
    signal: ctx.signal,
  });
  await ctx.log(
    `${wt.created ? 'created' : 'reacquired'} worktree ${wt.path} on ${branch} (from ${base})${wt.included.length ? `; copied ${wt.included.join(', ')}` : ''}`,
  );
  return { path: wt.path, branch, base, sha: wt.head, repository: repo.name, created: String(wt.created) };
};
