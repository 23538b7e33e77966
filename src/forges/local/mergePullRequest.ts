import { BatonError } from '../../domain/errors.ts';
import type { MergeRequest, MergeResult } from '../Forge.ts';
import { branchSha, updateBranch, type BareRepo } from './bareRepo.ts';
import {
  finishMerge,
  loadPullRequest,
  refreshPullRequest,
  type LocalForgeContext,
} from './localForgeContext.ts';
import { requireKey, requireMethod, requireSha } from './localForgeInput.ts';
import { defaultMergeMessage, normalizeMessage } from './mergeMessages.ts';
import { planMerge } from './planMerge.ts';

/**
 * Merge a pull request without checking anything out in the bare repository: the new base commit
 * is computed (plumbing, or a temporary worktree for a rebase), recorded as the pull request's
 * pending merge, then the base branch is moved with an update-ref guarded by its old value, and
 * the merge is recorded. A crash between the ref and the record is finished by the next call. The
 * same idempotency key again returns the first merge (`merged: false`).
 */
export async function mergePullRequest(
  ctx: LocalForgeContext,
  repo: BareRepo,
  number: number,
  m: MergeRequest,
  signal: AbortSignal,
): Promise<MergeResult> {
  const method = requireMethod(m.method);
  const key = requireKey(m.idempotencyKey);
  const expected = m.sha === undefined ? undefined : requireSha(m.sha, 'sha');
  let pr = await refreshPullRequest(ctx, repo, await loadPullRequest(ctx, repo, number), signal);
  const name = `pull request #${number} of ${repo.name}`;
  if (pr.state === 'merged') {
    if (pr.mergeKey === key && pr.mergeSha !== null) return { sha: pr.mergeSha, merged: false };
    throw new BatonError('invalid_state', `${name} is already merged (${pr.mergeSha ?? '?'})`, {
      details: { number, mergeSha: pr.mergeSha },
    });
  }
  if (pr.state !== 'open') throw new BatonError('invalid_state', `${name} is ${pr.state}, not open`);
  if (pr.draft) {
    throw new BatonError('invalid_state', `${name} is a draft`, { hint: 'mark it ready for review first' });
  }
  const [headSha, baseSha] = await Promise.all([
    branchSha(repo, pr.head, signal),
    branchSha(repo, pr.base, signal),
  ]);
  if (headSha === null)
    throw new BatonError('invalid_state', `the head branch ${pr.head} of ${name} is gone`);
  if (baseSha === null)
    throw new BatonError('invalid_state', `the base branch ${pr.base} of ${name} is gone`);
  if (expected !== undefined && expected !== headSha) {
    throw new BatonError(
      'conflict',
      `the head of ${name} moved: expected ${expected}, ${pr.head} is at ${headSha}`,
      {
        hint: 'review the new commits, then merge again with the new head sha',
        details: { expected, actual: headSha },
      },
    );
  }
  const message =
    method === 'rebase'
      ? ''
      : m.message !== undefined && m.message.trim() !== ''
        ? normalizeMessage(m.message)
        : defaultMergeMessage(pr, method);
  const plan = await planMerge({
    repo,
    baseSha,
    headSha,
    method,
    message,
    useMergeTree: await ctx.useMergeTree(signal),
    tmpRoot: ctx.tmpRoot,
    signal,
  });
  if (plan.sha === null) {
    throw new BatonError(
      'conflict',
      `${name} does not merge cleanly into ${pr.base}: conflicts in ${plan.conflicts.join(', ')}`,
      { hint: `update ${pr.head} with ${pr.base} and resolve them`, details: { conflicts: plan.conflicts } },
    );
  }
  const intent = { mergeKey: key, mergeSha: plan.sha, mergeMethod: method, mergedBaseSha: baseSha, headSha };
  if (
    !(await ctx.store.updatePullRequest(pr.id, { ...intent, updatedAt: ctx.now() }, { expectState: 'open' }))
  ) {
    throw new BatonError('conflict', `${name} changed during the merge`, { retryable: true });
  }
  pr = { ...pr, ...intent };
  await updateBranch(
    repo,
    pr.base,
    plan.sha,
    baseSha,
    `baton: merge pull request #${number} (${method})`,
    signal,
  );
  await finishMerge(ctx, repo, pr, signal);
  return { sha: plan.sha, merged: true };
}
