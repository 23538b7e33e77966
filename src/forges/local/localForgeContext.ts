import { BatonError } from '../../domain/errors.ts';
import type { PullRequest } from '../Forge.ts';
import { branchSha, isAncestor, type BareRepo } from './bareRepo.ts';
import type { EventOutbox } from './eventOutbox.ts';
import { prEvent, pullRequestUrl } from './forgeEventPayloads.ts';
import type { LocalForgeStore, PullRequestRecord } from './localForgeStore.ts';

/** What the local forge's operations share. */
export interface LocalForgeContext {
  store: LocalForgeStore;
  outbox: EventOutbox;
  now(): number;
  newId(): string;
  /** the author of reviews */
  actor: string;
  /** where temporary worktrees go */
  tmpRoot: string;
  /** merge with `merge-tree --write-tree` (else in a temporary worktree) */
  useMergeTree(signal: AbortSignal): Promise<boolean>;
}

/** The pull request as the Forge port shows it. */
export function toPullRequest(repo: BareRepo, pr: PullRequestRecord): PullRequest {
  return {
    number: pr.number,
    url: pullRequestUrl(repo, pr.number),
    title: pr.title,
    body: pr.body,
    head: pr.head,
    base: pr.base,
    headSha: pr.headSha,
    state: pr.state,
    draft: pr.draft,
    mergeSha: pr.state === 'merged' ? pr.mergeSha : null,
  };
}

export async function loadPullRequest(
  ctx: LocalForgeContext,
  repo: BareRepo,
  number: number,
): Promise<PullRequestRecord> {
  const pr = await ctx.store.getPullRequest(repo.path, number);
  if (pr === undefined) {
    throw new BatonError('not_found', `pull request #${number} does not exist in ${repo.name}`, {
      details: { repository: repo.path, number },
    });
  }
  return pr;
}

/**
 * An open pull request brought up to date with git: a merge whose base branch already moved is
 * finished (a crash between update-ref and the record), and a head branch that moved is recorded
 * (`pr.synchronized`). A deleted head branch leaves the last known head.
 */
export async function refreshPullRequest(
  ctx: LocalForgeContext,
  repo: BareRepo,
  pr: PullRequestRecord,
  signal: AbortSignal,
): Promise<PullRequestRecord> {
  if (pr.state !== 'open') return pr;
  if (pr.mergeSha !== null) {
    const finished = await recoverMerge(ctx, repo, pr, signal);
    if (finished.state !== 'open') return finished;
  }
  const sha = await branchSha(repo, pr.head, signal);
  if (sha === null || sha === pr.headSha) return pr;
  const now = ctx.now();
  const moved = await ctx.store.updatePullRequest(
    pr.id,
    { headSha: sha, updatedAt: now },
    {
      expectState: 'open',
      expectHeadSha: pr.headSha,
      events: [
        prEvent('pr.synchronized', repo, { ...pr, headSha: sha }, { before: pr.headSha, headSha: sha }),
      ],
    },
  );
  if (!moved) return loadPullRequest(ctx, repo, pr.number);
  await ctx.outbox.flushQuietly(signal);
  return { ...pr, headSha: sha, updatedAt: now };
}

/** Finish a recorded merge whose commit the base branch already contains; otherwise leave it. */
export async function recoverMerge(
  ctx: LocalForgeContext,
  repo: BareRepo,
  pr: PullRequestRecord,
  signal: AbortSignal,
): Promise<PullRequestRecord> {
  if (pr.mergeSha === null) return pr;
  const base = await branchSha(repo, pr.base, signal);
  if (base === null || !(await isAncestor(repo, pr.mergeSha, base, signal))) return pr;
  return finishMerge(ctx, repo, pr, signal);
}

/** Record the merge of `pr` (its mergeSha now in the base branch) and emit `pr.merged`. */
export async function finishMerge(
  ctx: LocalForgeContext,
  repo: BareRepo,
  pr: PullRequestRecord,
  signal: AbortSignal,
): Promise<PullRequestRecord> {
  const now = ctx.now();
  const merged: PullRequestRecord = { ...pr, state: 'merged', mergedAt: now, updatedAt: now };
  const event = prEvent('pr.merged', repo, merged, {
    sha: pr.mergeSha,
    method: pr.mergeMethod,
    headSha: pr.headSha,
  });
  const patch = { state: 'merged' as const, headSha: pr.headSha, mergedAt: now, updatedAt: now };
  const ok = await ctx.store.updatePullRequest(pr.id, patch, { expectState: 'open', events: [event] });
  if (!ok) return loadPullRequest(ctx, repo, pr.number);
  await ctx.outbox.flushQuietly(signal);
  return merged;
}
