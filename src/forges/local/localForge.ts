import { tmpdir } from 'node:os';
import { BatonError } from '../../domain/errors.ts';
import { uuidv7 } from '../../domain/ids.ts';
import type {
  CiState,
  ClosePullRequest,
  Comment,
  DeletedBranch,
  FindPullRequest,
  Mergeability,
  MergeRequest,
  MergeResult,
  NewComment,
  NewReview,
  NewStatus,
  OpenPullRequest,
  PullRequest,
  Review,
} from '../Forge.ts';
import { NO_GIT_CREDENTIALS, type GitCredentials } from '../git/GitCredentials.ts';
import { mirrorGit, resolveRef } from '../git/worktreeGit.ts';
import { branchSha, resolveBareRepo, type BareRepo } from './bareRepo.ts';
import { combineStatuses } from './combineStatuses.ts';
import { deleteBranch } from './deleteBranch.ts';
import { diffRange, type DiffLimits, type PullRequestDiff } from './diffPullRequest.ts';
import { EventOutbox } from './eventOutbox.ts';
import { prEvent, pullRequestUrl } from './forgeEventPayloads.ts';
import { KeyedMutex } from './keyedMutex.ts';
import {
  loadPullRequest,
  refreshPullRequest,
  toPullRequest,
  type LocalForgeContext,
} from './localForgeContext.ts';
import { requireInlineComments, requireKey, requireNumber, requireVerdict } from './localForgeInput.ts';
import type { CommentRecord, LocalForgeStore, PullRequestRecord, ReviewRecord } from './localForgeStore.ts';
import type { ForgeEvents, LocalForge } from './localForgeTypes.ts';
import { mergePullRequest } from './mergePullRequest.ts';
import { gitVersion, mergeTreeSupported } from './mergeTreeSupport.ts';
import { checkMerge } from './planMerge.ts';
import { openPullRequest } from './openPullRequest.ts';
import { setCommitStatus } from './setCommitStatus.ts';

export interface LocalForgeOptions {
  store: LocalForgeStore;
  events: ForgeEvents;
  /** the author of the reviews Baton submits (default `baton`) */
  actor?: string;
  /** where temporary worktrees go (default the OS temp dir) */
  tmpDir?: string;
  /** `auto` (default): `merge-tree --write-tree` when git ≥ 2.38, else a temporary worktree */
  mergeStrategy?: 'auto' | 'merge-tree' | 'worktree';
  now?: () => number;
  newId?: () => string;
  /** an event could not be emitted after a change (it stays pending for the next flush) */
  onEmitError?: (error: unknown) => void;
}

/**
 * The `local` forge: repositories are bare git repositories on disk (the `repo` argument is the
 * path or a `file://` URL), pull requests are Baton records, and everything about code (heads,
 * mergeability, merges, diffs) is computed with git on the bare repository, never checking it out.
 */
export function createLocalForge(opts: LocalForgeOptions): LocalForge {
  const now = opts.now ?? Date.now;
  let mergeTree: Promise<boolean> | undefined;
  const ctx: LocalForgeContext = {
    store: opts.store,
    outbox: new EventOutbox(opts.store, opts.events, now, opts.onEmitError ?? (() => undefined)),
    now,
    newId: opts.newId ?? (() => uuidv7()),
    actor: opts.actor ?? 'baton',
    tmpRoot: opts.tmpDir ?? tmpdir(),
    useMergeTree(signal) {
      const strategy = opts.mergeStrategy ?? 'auto';
      if (strategy !== 'auto') return Promise.resolve(strategy === 'merge-tree');
      mergeTree ??= gitVersion(tmpdir(), signal).then(mergeTreeSupported);
      mergeTree.catch(() => (mergeTree = undefined));
      return mergeTree;
    },
  };
  return new LocalForgeImpl(ctx);
}

class LocalForgeImpl implements LocalForge {
  readonly kind = 'local' as const;
  private readonly merges = new KeyedMutex();

  constructor(private readonly ctx: LocalForgeContext) {}

  async remote(repo: string, signal: AbortSignal): Promise<{ url: string; credentials: GitCredentials }> {
    const r = await resolveBareRepo(repo, signal);
    return { url: r.path, credentials: NO_GIT_CREDENTIALS };
  }

  async defaultBranch(repo: string, signal: AbortSignal): Promise<string> {
    const r = await resolveBareRepo(repo, signal);
    const head = await mirrorGit(r.path, ['symbolic-ref', '--quiet', '--short', 'HEAD'], {
      signal,
      okExitCodes: [0, 1],
    });
    if (head.exitCode !== 0) throw new BatonError('invalid_state', `HEAD of ${r.name} is not a branch`);
    return head.stdout.trim();
  }

  async findPullRequest(repo: string, q: FindPullRequest, signal: AbortSignal): Promise<PullRequest | null> {
    const r = await resolveBareRepo(repo, signal);
    let pr: PullRequestRecord | undefined;
    if (q.idempotencyKey !== undefined)
      pr = await this.ctx.store.getPullRequestByKey(r.path, q.idempotencyKey);
    if (q.keyOnly !== true) pr ??= await this.ctx.store.findOpenPullRequest(r.path, q.head, q.base);
    return pr === undefined ? null : toPullRequest(r, await refreshPullRequest(this.ctx, r, pr, signal));
  }

  async openPullRequest(repo: string, p: OpenPullRequest, signal: AbortSignal): Promise<PullRequest> {
    const r = await resolveBareRepo(repo, signal);
    return toPullRequest(r, await openPullRequest(this.ctx, r, p, signal));
  }

  async getPullRequest(repo: string, number: number, signal: AbortSignal): Promise<PullRequest> {
    const { r, pr } = await this.load(repo, number, signal);
    return toPullRequest(r, await refreshPullRequest(this.ctx, r, pr, signal));
  }

  async comment(repo: string, number: number, c: NewComment, signal: AbortSignal): Promise<Comment> {
    const idempotencyKey = requireKey(c.idempotencyKey);
    const progressKey = c.progressKey === undefined ? null : requireKey(c.progressKey, 'progressKey');
    if (typeof c.body !== 'string') throw new BatonError('invalid_input', 'a comment body is required');
    const { r, pr } = await this.load(repo, number, signal);
    const input = {
      id: this.ctx.newId(),
      repository: r.path,
      number,
      body: c.body,
      idempotencyKey,
      progressKey,
    };
    const { comment, created } = await this.ctx.store.saveComment(
      { ...input, createdAt: this.ctx.now() },
      (cm) => [
        prEvent('pr.commented', r, pr, {
          commentId: cm.id,
          progressKey: cm.progressKey,
          author: this.ctx.actor,
          body: cm.body,
        }),
      ],
    );
    if (created) await this.ctx.outbox.flushQuietly(signal);
    return { id: comment.id, url: `${pullRequestUrl(r, number)}#comment-${comment.id}`, created };
  }

  async listComments(repo: string, number: number, signal: AbortSignal): Promise<CommentRecord[]> {
    const { r } = await this.load(repo, number, signal);
    return this.ctx.store.listComments(r.path, number);
  }

  async listReviews(repo: string, number: number, signal: AbortSignal): Promise<Review[]> {
    const { r } = await this.load(repo, number, signal);
    return (await this.ctx.store.listReviews(r.path, number)).map(toReview);
  }

  async submitReview(repo: string, number: number, rv: NewReview, signal: AbortSignal): Promise<Review> {
    const verdict = requireVerdict(rv.verdict);
    const idempotencyKey = requireKey(rv.idempotencyKey);
    const comments = requireInlineComments(rv.comments);
    const { r, pr: stored } = await this.load(repo, number, signal);
    const reviews = await this.ctx.store.listReviews(r.path, number);
    const same = reviews.find((x) => x.idempotencyKey === idempotencyKey);
    if (same !== undefined) return toReview(same);
    const pr = await refreshPullRequest(this.ctx, r, stored, signal);
    if (pr.state !== 'open') {
      throw new BatonError('invalid_state', `pull request #${number} of ${r.name} is ${pr.state}, not open`);
    }
    const review: ReviewRecord = {
      id: this.ctx.newId(),
      repository: r.path,
      number,
      verdict,
      body: typeof rv.body === 'string' ? rv.body : '',
      author: this.ctx.actor,
      commitSha: pr.headSha,
      comments,
      idempotencyKey,
      submittedAt: this.ctx.now(),
    };
    const extra = {
      reviewId: review.id,
      verdict,
      author: review.author,
      body: review.body,
      commitSha: review.commitSha,
      commit: review.commitSha,
    };
    const events = [prEvent('pr.review_submitted', r, pr, extra)];
    if (verdict === 'approve') events.push(prEvent('pr.approved', r, pr, extra));
    if (verdict === 'changes_requested') events.push(prEvent('pr.changes_requested', r, pr, extra));
    const saved = await this.ctx.store.createReview(review, events);
    if (saved.created) await this.ctx.outbox.flushQuietly(signal);
    return toReview(saved.review);
  }

  async requestReviewers(
    repo: string,
    number: number,
    logins: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    const wanted = [...new Set(logins.map((l) => requireKey(l, 'logins')))];
    const { r, pr } = await this.load(repo, number, signal);
    const added = await this.ctx.store.addReviewers(r.path, number, wanted, this.ctx.now(), (a) => [
      prEvent('pr.review_requested', r, pr, { reviewers: a }),
    ]);
    if (added.length > 0) await this.ctx.outbox.flushQuietly(signal);
  }

  async requestedReviewers(repo: string, number: number, signal: AbortSignal): Promise<string[]> {
    const { r } = await this.load(repo, number, signal);
    return this.ctx.store.listReviewers(r.path, number);
  }

  async setStatus(repo: string, sha: string, s: NewStatus, signal: AbortSignal): Promise<void> {
    const r = await resolveBareRepo(repo, signal);
    await setCommitStatus(this.ctx, r, sha, s, signal);
  }

  async ciState(repo: string, ref: string, signal: AbortSignal): Promise<CiState> {
    const r = await resolveBareRepo(repo, signal);
    const sha = await resolveRef(r.path, `${requireKey(ref, 'ref')}^{commit}`, signal);
    if (sha === null) throw new BatonError('not_found', `${ref} is not a commit of ${r.name}`);
    const statuses = await this.ctx.store.listStatuses(r.path, sha);
    return {
      state: combineStatuses(statuses.map((x) => x.state)),
      checks: statuses.map((x) => ({ name: x.context, state: x.state })),
      sha,
    };
  }

  async mergeability(repo: string, number: number, signal: AbortSignal): Promise<Mergeability> {
    const { r, pr: stored } = await this.load(repo, number, signal);
    const pr = await refreshPullRequest(this.ctx, r, stored, signal);
    if (pr.state !== 'open') return { mergeable: null, conflicts: [] };
    const [headSha, baseSha] = await Promise.all([
      branchSha(r, pr.head, signal),
      branchSha(r, pr.base, signal),
    ]);
    if (headSha === null || baseSha === null) return { mergeable: false, conflicts: [] };
    const useMergeTree = await this.ctx.useMergeTree(signal);
    const conflicts = await checkMerge({
      repo: r,
      baseSha,
      headSha,
      useMergeTree,
      tmpRoot: this.ctx.tmpRoot,
      signal,
    });
    return { mergeable: conflicts.length === 0, conflicts };
  }

  async merge(repo: string, number: number, m: MergeRequest, signal: AbortSignal): Promise<MergeResult> {
    const r = await resolveBareRepo(repo, signal);
    requireNumber(number);
    return this.merges.run(r.path, () => mergePullRequest(this.ctx, r, number, m, signal));
  }

  async branchSha(repo: string, branch: string, signal: AbortSignal): Promise<string | null> {
    return branchSha(await resolveBareRepo(repo, signal), branch, signal);
  }

  async deleteBranch(
    repo: string,
    branch: string,
    expectedSha: string,
    signal: AbortSignal,
  ): Promise<DeletedBranch> {
    return deleteBranch(await resolveBareRepo(repo, signal), branch, expectedSha, signal);
  }

  async closePullRequest(
    repo: string,
    number: number,
    c: ClosePullRequest,
    signal: AbortSignal,
  ): Promise<PullRequest> {
    const { r, pr: stored } = await this.load(repo, number, signal);
    const pr = await refreshPullRequest(this.ctx, r, stored, signal);
    if (pr.state === 'merged') throw new BatonError('invalid_state', `pull request #${number} is merged`);
    if (pr.state === 'closed') return toPullRequest(r, pr);
    if (c.comment !== undefined)
      await this.comment(repo, number, { body: c.comment, idempotencyKey: c.idempotencyKey }, signal);
    const now = this.ctx.now();
    const closed = { ...pr, state: 'closed' as const, updatedAt: now };
    const ok = await this.ctx.store.updatePullRequest(
      pr.id,
      { state: 'closed', updatedAt: now },
      { expectState: 'open', events: [prEvent('pr.closed', r, closed)] },
    );
    if (!ok) return this.closePullRequest(repo, number, c, signal);
    await this.ctx.outbox.flushQuietly(signal);
    return toPullRequest(r, closed);
  }

  async diff(
    repo: string,
    number: number,
    signal: AbortSignal,
    limits: DiffLimits = {},
  ): Promise<PullRequestDiff> {
    const { r, pr: stored } = await this.load(repo, number, signal);
    const pr = await refreshPullRequest(this.ctx, r, stored, signal);
    const baseSha =
      pr.state === 'merged' && pr.mergedBaseSha !== null
        ? pr.mergedBaseSha
        : await branchSha(r, pr.base, signal);
    if (baseSha === null) {
      throw new BatonError('invalid_state', `the base branch ${pr.base} of pull request #${number} is gone`);
    }
    return diffRange(r, baseSha, pr.headSha, limits, signal);
  }

  flushEvents(signal: AbortSignal): Promise<number> {
    return this.ctx.outbox.flush(signal);
  }

  private async load(repo: string, number: number, signal: AbortSignal) {
    requireNumber(number);
    const r: BareRepo = await resolveBareRepo(repo, signal);
    return { r, pr: await loadPullRequest(this.ctx, r, number) };
  }
}

function toReview(r: ReviewRecord): Review {
  return {
    id: r.id,
    verdict: r.verdict,
    body: r.body,
    author: r.author,
    commitSha: r.commitSha,
    comments: r.comments,
    submittedAt: r.submittedAt,
  };
}
