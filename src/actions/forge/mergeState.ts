import type { PullRequest } from '../../forges/Forge.ts';
import { issuesOf, type ActionContext, type ResolvedRepo } from '../ActionContext.ts';
import { mergeBlockers, type Blocker } from './mergeBlockers.ts';

export interface MergeInput {
  repository: string;
  number: number;
  method: 'merge' | 'squash' | 'rebase';
  require_approval: boolean;
  require_checks: boolean;
  issue?: string | undefined;
  wait?: boolean | undefined;
  auto?: boolean | undefined;
  poll?: string | undefined;
}

/** A blocker only Baton knows about (the forge's own auto-merge does not see it). */
export interface MergeBlocker extends Blocker {
  batonOnly?: boolean;
}

/** The pull request as it is now, and what keeps it from being merged. */
export async function assessMerge(
  repo: ResolvedRepo,
  input: MergeInput,
  ctx: ActionContext,
): Promise<{ pr: PullRequest; blockers: MergeBlocker[] }> {
  const { forge } = repo;
  const pr = await forge.getPullRequest(repo.ref, input.number, ctx.signal);
  if (pr.state === 'merged') return { pr, blockers: [] };
  const [reviews, ci, mergeable] = await Promise.all([
    input.require_approval ? forge.listReviews(repo.ref, pr.number, ctx.signal) : Promise.resolve([]),
    input.require_checks ? forge.ciState(repo.ref, pr.headSha, ctx.signal) : Promise.resolve(null),
    forge.mergeability(repo.ref, pr.number, ctx.signal),
  ]);
  const blockers: MergeBlocker[] = mergeBlockers(pr, reviews, ci, mergeable, {
    approval: input.require_approval,
    checks: input.require_checks,
  });
  if (input.issue !== undefined) {
    const open = (await issuesOf(ctx).plan(input.issue)).blockedBy;
    if (open.length)
      blockers.push({ reason: `open defects block it: ${open.join(', ')}`, final: false, batonOnly: true });
  }
  return { pr, blockers };
}

/** Logs `line` when it differs from the last one logged (a wait says what it waits for once per change). */
export function changeLogger(ctx: ActionContext): (line: string) => Promise<void> {
  let last = '';
  return async (line) => {
    if (line === last) return;
    last = line;
    await ctx.log(line);
  };
}
