import { commitAll, pushBranch, type PushResult } from '../../forges/git/commitAndPush.ts';
import { BATON_GIT_IDENTITY } from '../../forges/git/gitEnv.ts';
import { remoteTrackingRef } from '../../forges/git/gitPaths.ts';
import { mirrorGit } from '../../forges/git/worktreeGit.ts';
import { issuesOf, type ActionContext, type ActionHandler, type ResolvedRepo } from '../ActionContext.ts';
import { createdBranch, recordCreatedBranch } from '../git/branchLedger.ts';
import { findBranchWorktree } from '../git/findWorktree.ts';
import type { SagaStage } from '../saga.ts';
import { runForgeSaga } from './forgeSaga.ts';
import { pullRequestBody } from './pullRequestBody.ts';
import {
  openPullRequestStage,
  parseReviewers,
  requestReviewersStage,
  type PullRequestProgress,
} from './pullRequestStages.ts';

type Worktree = Awaited<ReturnType<typeof findBranchWorktree>>;

interface PushProgress {
  pushed?: PushResult;
  /** the step created the branch on the remote (this attempt or an earlier one) */
  ours: boolean;
  /** why the branch must stay even so (a pull request someone else opened on it), or null */
  keep: () => string | null;
}

/**
 * "push the branch": pushes the worktree's branch (fast-forward only) with the forge's
 * credentials, and notes when the push created it on the remote. Its compensation deletes the
 * branch only when this step created it and it still points at the commit pushed
 * (compare-and-delete): a branch that existed before, or that someone moved since, is kept.
 */
function pushStage(
  ctx: ActionContext,
  repo: ResolvedRepo,
  wt: Worktree,
  branch: string,
  p: PushProgress,
): SagaStage {
  const location = { path: wt.path, adminDir: wt.adminDir, mirrorDir: wt.mirrorDir };
  return {
    name: `push branch ${branch}`,
    async run(signal) {
      const { credentials } = await repo.forge.remote(repo.ref, signal);
      const pushed = await pushBranch({ worktree: location, branch, credentials, signal });
      if (pushed.created) await recordCreatedBranch(wt.adminDir, ctx.idempotencyKey, branch);
      p.pushed = pushed;
      p.ours = pushed.created || (await createdBranch(wt.adminDir, ctx.idempotencyKey, branch));
      await ctx.log(
        `pushed ${pushed.sha.slice(0, 12)} to ${branch}${pushed.created ? ' (a new branch on the remote)' : ''}`,
      );
    },
    async compensate(signal) {
      const sha = p.pushed?.sha;
      if (sha === undefined) return null;
      if (!p.ours) return `kept branch ${branch}: it existed on the remote before this step pushed to it`;
      const keep = p.keep();
      if (keep !== null) return `kept branch ${branch}: ${keep}`;
      const r = await repo.forge.deleteBranch(repo.ref, branch, sha, signal);
      if (r.sha === null) return `branch ${branch} was already gone`;
      if (!r.deleted)
        return `kept branch ${branch}: it moved to ${r.sha.slice(0, 12)} since this step pushed ${sha.slice(0, 12)}`;
      // the mirror forgets it too, so a later push sees a new branch again
      await mirrorGit(wt.mirrorDir, ['update-ref', '-d', remoteTrackingRef(branch), sha], {
        signal,
        okExitCodes: [0, 1, 128],
      });
      return `deleted branch ${branch} at ${sha.slice(0, 12)} (created by this step)`;
    },
  };
}

/**
 * `forge/propose`: commit a worktree → push its branch → open the pull request (the body template
 * of forge/pull-request) → request reviews, as one operation. A stage that fails for good undoes
 * what the step did, newest first: a pull request it opened is closed with a comment saying why,
 * a branch it created is deleted if it still points at what was pushed. A failure another attempt
 * will resume (retryable, retries left) undoes nothing: the next attempt finds the commit, the
 * branch and the pull request again (idempotency key) and carries on.
 */
export const forgePropose: ActionHandler<{
  path: string;
  repository: string;
  message: string;
  title: string;
  plan?: string | undefined;
  changes?: string | undefined;
  tests?: string | undefined;
  risks?: string | undefined;
  base?: string | undefined;
  draft: boolean;
  reviewers?: string | undefined;
  issue?: string | undefined;
}> = async (input, ctx) => {
  const wt = await findBranchWorktree(ctx.worktrees, input.path);
  const branch = wt.branch;
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  const plan = input.issue === undefined ? undefined : await issuesOf(ctx).plan(input.issue);
  const base = input.base ?? plan?.prTarget ?? (await repo.forge.defaultBranch(repo.ref, ctx.signal));
  let commit: string | null = null;
  const pr: PullRequestProgress = { ours: false, created: false };
  const push: PushProgress = {
    ours: false,
    keep: () =>
      pr.pr && !pr.ours ? `pull request #${pr.pr.number}, which this step did not open, uses it` : null,
  };
  const spec = {
    head: branch,
    base,
    title: input.title,
    body: pullRequestBody(input, { runId: ctx.job.runId, stepKey: ctx.job.stepKey }),
    draft: input.draft,
  };
  const branchNote = () =>
    push.ours ? `, and its branch \`${branch}\`, which this step created, is deleted` : '';
  const commitStage: SagaStage = {
    name: 'commit the changes',
    async run(signal) {
      const location = { path: wt.path, adminDir: wt.adminDir, mirrorDir: wt.mirrorDir };
      commit = await commitAll({
        worktree: location,
        message: input.message,
        author: BATON_GIT_IDENTITY,
        signal,
      });
      await ctx.log(
        commit === null ? 'nothing new to commit' : `committed ${commit.slice(0, 12)} on ${branch}`,
      );
    },
  };
  await runForgeSaga(
    'forge/propose',
    [
      commitStage,
      pushStage(ctx, repo, wt, branch, push),
      openPullRequestStage(ctx, repo, spec, pr, branchNote),
      requestReviewersStage(ctx, repo, parseReviewers(input.reviewers), pr),
    ],
    ctx,
  );
  const opened = pr.pr!;
  if (input.issue !== undefined) await issuesOf(ctx).setPullRequest(input.issue, opened.number, opened.url);
  return {
    number: String(opened.number),
    url: opened.url,
    head: branch,
    base,
    head_sha: push.pushed?.sha ?? opened.headSha,
    sha: commit ?? '',
    committed: String(commit !== null),
    branch_created: String(push.ours),
    created: String(pr.created),
  };
};
