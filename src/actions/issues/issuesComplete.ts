import { issuesOf, type ActionHandler } from '../ActionContext.ts';
import { ActionFailed } from '../ActionFailed.ts';

/**
 * `issues/complete`: completes an issue of the tree through the engine's rules (refused while
 * anything under it is not done). With `repository`, the pull request recorded on the issue must be
 * merged first. A step that runs again finds the issue done and reports `completed: false`.
 */
export const issuesComplete: ActionHandler<{ issue: string; repository?: string | undefined }> = async (
  input,
  ctx,
) => {
  const issues = issuesOf(ctx);
  const issue = await issues.get(input.issue);
  if (input.repository !== undefined && issue.prNumber !== null && issue.status !== 'done') {
    const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
    const pr = await repo.forge.getPullRequest(repo.ref, issue.prNumber, ctx.signal);
    if (pr.state !== 'merged') {
      throw new ActionFailed(
        `issue #${issue.number} "${issue.title}" cannot complete: its pull request #${pr.number} (${pr.head} → ${pr.base}) is ${pr.state}, not merged`,
        { issue: issue.id, completed: 'false', status: issue.status },
      );
    }
  }
  const r = await issues.complete(input.issue, `run:${ctx.job.runId}`);
  await ctx.log(
    r.completed
      ? `completed ${r.issue.kind} #${r.issue.number} "${r.issue.title}"`
      : `${r.issue.kind} #${r.issue.number} was already done`,
  );
  return {
    issue: r.issue.id,
    number: String(r.issue.number),
    completed: String(r.completed),
    status: r.issue.status,
  };
};
