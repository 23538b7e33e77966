import { BatonError } from '../../domain/errors.ts';
import { issuesOf, type ActionHandler } from '../ActionContext.ts';
import { runForgeSaga } from './forgeSaga.ts';
import { pullRequestBody } from './pullRequestBody.ts';
import {
  openPullRequestStage,
  parseReviewers,
  requestReviewersStage,
  type PullRequestProgress,
} from './pullRequestStages.ts';

/**
 * `forge/pull-request`: the pull request of a branch, opened once per step key (a step that runs
 * again finds the first one) with the body template; reviewers requested when given. When asking
 * for reviews fails for good, the pull request this step opened is closed again with a comment.
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
  const progress: PullRequestProgress = { ours: false, created: false };
  const spec = {
    head,
    base,
    title: input.title,
    body: pullRequestBody(input, { runId: ctx.job.runId, stepKey: ctx.job.stepKey }),
    draft: input.draft,
  };
  // open → request reviews as one operation: reviewers refused for good withdraw the pull request
  // this step opened (closed with a comment); a failure another attempt resumes undoes nothing
  await runForgeSaga(
    'forge/pull-request',
    [
      openPullRequestStage(ctx, repo, spec, progress),
      requestReviewersStage(ctx, repo, parseReviewers(input.reviewers), progress),
    ],
    ctx,
  );
  const pr = progress.pr!;
  if (input.issue !== undefined) await issuesOf(ctx).setPullRequest(input.issue, pr.number, pr.url);
  return {
    number: String(pr.number),
    url: pr.url,
    head: pr.head,
    base: pr.base,
    head_sha: pr.headSha,
    created: String(progress.created),
  };
};
