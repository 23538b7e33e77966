import type { ActionHandler } from '../ActionContext.ts';
import { pullRequestBody } from './pullRequestBody.ts';

/**
 * `forge/pull-request`: the pull request of a branch, opened once per step key (a step that runs
 * again finds the first one) with the body template; reviewers requested when given.
 */
export const forgePullRequest: ActionHandler<{
  repository: string;
  head: string;
  base?: string | undefined;
  title: string;
  plan?: string | undefined;
  changes?: string | undefined;
  tests?: string | undefined;
  risks?: string | undefined;
  draft: boolean;
  reviewers?: string | undefined;
}> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  const base = input.base ?? (await repo.forge.defaultBranch(repo.ref, ctx.signal));
  const existing = await repo.forge.findPullRequest(
    repo.ref,
    { head: input.head, base, idempotencyKey: ctx.idempotencyKey },
    ctx.signal,
  );
  const pr =
    existing ??
    (await repo.forge.openPullRequest(
      repo.ref,
      {
        head: input.head,
        base,
        title: input.title,
        body: pullRequestBody(input, { runId: ctx.job.runId, stepKey: ctx.job.stepKey }),
        draft: input.draft,
        idempotencyKey: ctx.idempotencyKey,
      },
      ctx.signal,
    ));
  await ctx.log(
    `${existing ? 'found' : 'opened'} pull request #${pr.number} ${pr.url} (${input.head} → ${base})`,
  );
  const reviewers = (input.reviewers ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (reviewers.length && !existing)
    await repo.forge.requestReviewers(repo.ref, pr.number, reviewers, ctx.signal);
  return {
    number: String(pr.number),
    url: pr.url,
    head: pr.head,
    base: pr.base,
    head_sha: pr.headSha,
    created: String(existing === null),
  };
};
