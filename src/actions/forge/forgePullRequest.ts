import { BatonError } from '../../domain/errors.ts';
import { issuesOf, type ActionHandler } from '../ActionContext.ts';
import { pullRequestBody } from './pullRequestBody.ts';

/**
 * `forge/pull-request`: the pull request of a branch, opened once per step key (a step that runs
 * again finds the first one) with the body template; reviewers requested when given.
 */
export const forgePullRequest: ActionHandler<{
  repository: string;
  head?: string | undefined;
  base?: string | undefined;
  title: string;
  plan?: string | undefined;
  changes?: string | undefined;
  tests?: string | undefined;
  risks?: string | undefined;
  draft: boolean;
  reviewers?: string | undefined;
  issue?: string | undefined;
}> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  // an issue's pull request goes from its branch to its parent's (the root's to integration)
  const plan = input.issue === undefined ? undefined : await issuesOf(ctx).plan(input.issue);
  const head = input.head ?? plan?.branch;
  if (head === undefined)
    throw new BatonError('invalid_input', 'forge/pull-request needs with.head (or with.issue)', {
      field: 'with.head',
    });
  const base = input.base ?? plan?.prTarget ?? (await repo.forge.defaultBranch(repo.ref, ctx.signal));
  const existing = await repo.forge.findPullRequest(
    repo.ref,
    { head: head, base, idempotencyKey: ctx.idempotencyKey },
    ctx.signal,
  );
  const pr =
    existing ??
    (await repo.forge.openPullRequest(
      repo.ref,
      {
        head: head,
        base,
        title: input.title,
        body: pullRequestBody(input, { runId: ctx.job.runId, stepKey: ctx.job.stepKey }),
        draft: input.draft,
        idempotencyKey: ctx.idempotencyKey,
      },
      ctx.signal,
    ));
  await ctx.log(`${existing ? 'found' : 'opened'} pull request #${pr.number} ${pr.url} (${head} → ${base})`);
  const reviewers = (input.reviewers ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  // also when the pull request was found: a run that died between opening it and asking for
  // reviews completes the operation now (asking twice is harmless on both forges)
  if (reviewers.length && pr.state === 'open')
    await repo.forge.requestReviewers(repo.ref, pr.number, reviewers, ctx.signal);
  if (input.issue !== undefined) await issuesOf(ctx).setPullRequest(input.issue, pr.number, pr.url);
  return {
    number: String(pr.number),
    url: pr.url,
    head: pr.head,
    base: pr.base,
    head_sha: pr.headSha,
    created: String(existing === null),
  };
};
