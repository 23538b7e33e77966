import { runBranchName } from '../../domain/git/branchName.ts';
import { ensureRemoteBranch } from '../../forges/git/ensureRemoteBranch.ts';
import { releaseEndedHolders } from './releaseEndedHolders.ts';
import { issuesOf, type ActionContext, type ActionHandler, type ResolvedRepo } from '../ActionContext.ts';

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
  if (input.issue !== undefined && input.base === undefined)
    await ensureAncestorBranches(input.issue, repo, dir, ctx);
  const base = input.base ?? plan?.base ?? (await repo.forge.defaultBranch(repo.ref, ctx.signal));
  const branch = input.branch ?? plan?.branch ?? runBranchName(ctx.job.runId, input.slug ?? ctx.job.stepKey);
  await releaseEndedHolders(ctx, dir, branch);
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

/**
 * The branches an issue's branch grows from exist on the remote before its worktree is made:
 * `integration` (from the default branch) and every ancestor's branch (from its own base), top
 * down. So the first task of a new epic can start without anyone creating the epic's branch.
 */
async function ensureAncestorBranches(
  issueId: string,
  repo: ResolvedRepo,
  mirrorDir: string,
  ctx: ActionContext,
): Promise<void> {
  const chain = await issuesOf(ctx).chain(issueId);
  const root = chain[0];
  if (!root) return;
  const { credentials } = await repo.forge.remote(repo.ref, ctx.signal);
  const levels = [
    { branch: root.base, base: await repo.forge.defaultBranch(repo.ref, ctx.signal) },
    ...chain.slice(0, -1),
  ];
  for (const level of levels) {
    if (level.branch === level.base) continue;
    const r = await ensureRemoteBranch({
      mirrorDir,
      branch: level.branch,
      from: level.base,
      credentials,
      signal: ctx.signal,
    });
    if (r.created)
      await ctx.log(`created ${level.branch} on the remote from ${level.base} (${r.sha.slice(0, 12)})`);
  }
}
