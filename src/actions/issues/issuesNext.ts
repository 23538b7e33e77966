import { assertExhaustive } from '../../domain/assertExhaustive.ts';
import { issuesOf, type ActionHandler } from '../ActionContext.ts';
import { ActionFailed } from '../ActionFailed.ts';

/**
 * `issues/next`: what the execution loop over an issue tree does next. Siblings run in order, depth
 * first: a leaf with nothing open under it is `work` (marked in_progress), a parent whose
 * descendants are all done is `complete`, a finished tree is `done`. A blocked issue stops the loop
 * where it stands: the step fails naming it (unblock it, then retry the step).
 */
export const issuesNext: ActionHandler<{ issue: string }> = async (input, ctx) => {
  const issues = issuesOf(ctx);
  const next = await issues.next(input.issue);
  switch (next.action) {
    case 'done':
      await ctx.log('every issue of the tree is done');
      return {
        action: 'done',
        issue: '',
        number: '',
        kind: '',
        title: '',
        body: '',
        branch: '',
        base: '',
        target: '',
      };
    case 'blocked':
      throw new ActionFailed(
        `issue #${next.issue.number} "${next.issue.title}" is blocked: nothing after it runs until it is unblocked (set its status to open, then retry this step)`,
        { action: 'blocked', issue: next.issue.id, number: String(next.issue.number) },
      );
    case 'work':
    case 'complete': {
      const i = next.issue;
      if (next.action === 'work') await issues.start(i.id, `run:${ctx.job.runId}`);
      await ctx.log(
        next.action === 'work'
          ? `next: work on ${i.kind} #${i.number} "${i.title}" on ${i.branch} (from ${i.base}, pull request into ${i.prTarget})`
          : `next: everything under ${i.kind} #${i.number} "${i.title}" is done: integrate ${i.branch} into ${i.prTarget} and complete it`,
      );
      return {
        action: next.action,
        issue: i.id,
        number: String(i.number),
        kind: i.kind,
        title: i.title,
        body: i.body,
        branch: i.branch,
        base: i.base,
        target: i.prTarget,
      };
    }
    default:
      return assertExhaustive(next, 'next issue');
  }
};
