import type { PullRequest } from '../../forges/Forge.ts';
import type { ActionContext, ResolvedRepo } from '../ActionContext.ts';
import { describeError, type SagaFailure, type SagaStage } from '../saga.ts';

/** What the pull request stages learn as they run. */
export interface PullRequestProgress {
  pr?: PullRequest;
  /** opened under this step's key (by this attempt or an earlier one): the step's own to withdraw */
  ours: boolean;
  /** opened by this attempt */
  created: boolean;
}

export interface PullRequestSpec {
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
}

/** The comment a withdrawn pull request gets: what failed, and that Baton undid its operation. */
export function withdrawComment(ctx: ActionContext, f: SagaFailure, branchNote: string): string {
  return [
    `Baton withdrew this pull request: step \`${ctx.job.stepKey}\` of run ${ctx.job.runId} failed for good while it tried to ${f.stage}:`,
    '',
    `> ${describeError(f.error).replace(/\n/g, '\n> ')}`,
    '',
    `No other attempt will complete the operation, so what it did is undone: this pull request is closed${branchNote}.`,
  ].join('\n');
}

/**
 * "open the pull request": the one opened under this step's key (a re-run or a later attempt finds
 * it), else an open one of head → base someone else opened (used, never withdrawn), else a new one.
 * Its compensation closes a pull request this step opened, with `withdrawComment`.
 */
export function openPullRequestStage(
  ctx: ActionContext,
  repo: ResolvedRepo,
  spec: PullRequestSpec,
  progress: PullRequestProgress,
  branchNote: () => string = () => '',
): SagaStage {
  const { forge, ref } = repo;
  const key = ctx.idempotencyKey;
  return {
    name: 'open the pull request',
    async run(signal) {
      const mine = await forge.findPullRequest(
        ref,
        { head: spec.head, idempotencyKey: key, keyOnly: true },
        signal,
      );
      const theirs = mine
        ? null
        : await forge.findPullRequest(ref, { head: spec.head, base: spec.base }, signal);
      const pr =
        mine ?? theirs ?? (await forge.openPullRequest(ref, { ...spec, idempotencyKey: key }, signal));
      Object.assign(progress, { pr, ours: theirs === null, created: mine === null && theirs === null });
      const how = progress.created ? 'opened' : theirs ? 'found (opened by someone else)' : 'found';
      await ctx.log(`${how} pull request #${pr.number} ${pr.url} (${spec.head} → ${spec.base})`);
    },
    async compensate(signal, failure) {
      const pr = progress.pr;
      if (!pr) return null;
      if (!progress.ours) return `kept pull request #${pr.number}: this step did not open it`;
      const closed = await forge.closePullRequest(
        ref,
        pr.number,
        { comment: withdrawComment(ctx, failure, branchNote()), idempotencyKey: `${key}:withdraw` },
        signal,
      );
      return closed.state === 'merged'
        ? `kept pull request #${pr.number}: it is merged`
        : `closed pull request #${pr.number} (opened by this step) with a comment saying why`;
    },
  };
}

/** "request reviews": asks the logins to review (also on a found pull request: completes a crashed run). */
export function requestReviewersStage(
  ctx: ActionContext,
  repo: ResolvedRepo,
  reviewers: readonly string[],
  progress: PullRequestProgress,
): SagaStage {
  return {
    name: `request reviews from ${reviewers.join(', ')}`,
    async run(signal) {
      const pr = progress.pr;
      if (!pr || reviewers.length === 0 || pr.state !== 'open') return;
      await repo.forge.requestReviewers(repo.ref, pr.number, reviewers, signal);
      await ctx.log(`requested reviews on #${pr.number} from ${reviewers.join(', ')}`);
    },
  };
}

/** `with.reviewers` ("alice, bob") as logins. */
export const parseReviewers = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
