import { issuesOf, type ActionHandler } from '../ActionContext.ts';
import { ActionFailed } from '../ActionFailed.ts';
import { mergeBlockers } from './mergeBlockers.ts';

/**
 * `forge/merge`: merges a pull request once the conditions hold (approved at its head, checks green,
 * no conflicts), once per step key; otherwise fails naming every blocker.
 */
export const forgeMerge: ActionHandler<{
  repository: string;
  number: number;
  method: 'merge' | 'squash' | 'rebase';
  require_approval: boolean;
  require_checks: boolean;
  issue?: string | undefined;
}> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  const { forge } = repo;
  const pr = await forge.getPullRequest(repo.ref, input.number, ctx.signal);
  if (pr.state === 'merged') {
    await ctx.log(`#${pr.number} is already merged (${pr.mergeSha ?? '?'})`);
    return { sha: pr.mergeSha ?? '', merged: 'false', base: pr.base };
  }
  const [reviews, ci, mergeable] = await Promise.all([
    input.require_approval ? forge.listReviews(repo.ref, pr.number, ctx.signal) : Promise.resolve([]),
    input.require_checks ? forge.ciState(repo.ref, pr.headSha, ctx.signal) : Promise.resolve(null),
    forge.mergeability(repo.ref, pr.number, ctx.signal),
  ]);
  const blockers = mergeBlockers(pr, reviews, ci, mergeable, {
    approval: input.require_approval,
    checks: input.require_checks,
  });
  if (input.issue !== undefined) {
    const open = (await issuesOf(ctx).plan(input.issue)).blockedBy;
    if (open.length) blockers.push(`open defects block it: ${open.join(', ')}`);
  }
  if (blockers.length) throw new ActionFailed(`#${pr.number} cannot be merged: ${blockers.join('; ')}`);
  const r = await forge.merge(
    repo.ref,
    pr.number,
    { method: input.method, sha: pr.headSha, idempotencyKey: ctx.idempotencyKey, message: pr.title },
    ctx.signal,
  );
  await ctx.log(`merged #${pr.number} into ${pr.base} (${input.method}): ${r.sha.slice(0, 12)}`);
  return { sha: r.sha, merged: String(r.merged), base: pr.base };
};
