import type { GitCredentials } from './git/GitCredentials.ts';

/**
 * A code forge: where branches are pushed and pull requests live. Two implementations: `local`
 * (bare repositories on disk, pull requests as Baton records, everything computed with git) and
 * `github` (Octokit as a GitHub App or with a token). Every side effect takes the step's
 * idempotency key: a step that runs twice opens one pull request, posts one comment, merges once.
 * Every call takes an AbortSignal. Errors are BatonErrors with `retryable` set for transient ones.
 */
export interface Forge {
  readonly kind: 'local' | 'github';
  /** where `git push` goes for a repository, and the credentials for it (never given to agents) */
  remote(repo: string, signal: AbortSignal): Promise<{ url: string; credentials: GitCredentials }>;
  /** the repository's default branch */
  defaultBranch(repo: string, signal: AbortSignal): Promise<string>;
  /** an open pull request of `head` into `base`, or the one created under this idempotency key */
  findPullRequest(repo: string, q: FindPullRequest, signal: AbortSignal): Promise<PullRequest | null>;
  openPullRequest(repo: string, p: OpenPullRequest, signal: AbortSignal): Promise<PullRequest>;
  getPullRequest(repo: string, number: number, signal: AbortSignal): Promise<PullRequest>;
  /** comment on a pull request or issue; with `progressKey`, edits the comment of that key in place */
  comment(repo: string, number: number, c: NewComment, signal: AbortSignal): Promise<Comment>;
  listReviews(repo: string, number: number, signal: AbortSignal): Promise<Review[]>;
  submitReview(repo: string, number: number, r: NewReview, signal: AbortSignal): Promise<Review>;
  requestReviewers(
    repo: string,
    number: number,
    logins: readonly string[],
    signal: AbortSignal,
  ): Promise<void>;
  setStatus(repo: string, sha: string, s: NewStatus, signal: AbortSignal): Promise<void>;
  /** statuses and check runs of a commit, combined */
  ciState(repo: string, ref: string, signal: AbortSignal): Promise<CiState>;
  /** whether the pull request merges cleanly into its base (null: not computed yet) */
  mergeability(repo: string, number: number, signal: AbortSignal): Promise<Mergeability>;
  merge(repo: string, number: number, m: MergeRequest, signal: AbortSignal): Promise<MergeResult>;
  /** the commit `refs/heads/<branch>` points at on the forge, or null when there is no such branch */
  branchSha(repo: string, branch: string, signal: AbortSignal): Promise<string | null>;
  /**
   * Compare-and-delete: deletes the branch only while it still points at `expectedSha` (a branch
   * that moved since is kept). Idempotent: a branch already gone is `{ deleted: false, sha: null }`.
   */
  deleteBranch(
    repo: string,
    branch: string,
    expectedSha: string,
    signal: AbortSignal,
  ): Promise<DeletedBranch>;
  /**
   * Close an open pull request without merging, after posting `comment` (once per idempotency key)
   * when given. A closed one is returned as it is; a merged one is refused (`invalid_state`).
   */
  closePullRequest(
    repo: string,
    number: number,
    c: ClosePullRequest,
    signal: AbortSignal,
  ): Promise<PullRequest>;
  /**
   * The forge's own auto-merge (GitHub's `enablePullRequestAutoMerge`; absent on forges without
   * one): the forge merges the pull request by itself once its rules hold. `clean` when the forge
   * refused because the pull request can be merged right now (merge it directly).
   */
  enableAutoMerge?(
    repo: string,
    number: number,
    method: MergeMethod,
    signal: AbortSignal,
  ): Promise<'enabled' | 'clean'>;
  /** turns the forge's auto-merge off again (a no-op when it is off) */
  disableAutoMerge?(repo: string, number: number, signal: AbortSignal): Promise<void>;
  /**
   * `repository_dispatch` or `workflow_dispatch` out (GitHub only: absent on forges without CI to
   * start). The receiver deduplicates by `dispatchId`: a step that runs again sends the same id.
   */
  dispatch?(repo: string, d: Dispatch, signal: AbortSignal): Promise<void>;
  /**
   * The issue of `key` made to match `i` (GitHub only: absent on forges without issues of their
   * own). Found by a hidden marker of the key in its body (open or closed), else created; then its
   * title, body, labels (exactly these: others are removed) and state are updated when they differ.
   * A step that runs again, or a later sync, edits the same issue.
   */
  upsertIssue?(repo: string, i: UpsertIssue, signal: AbortSignal): Promise<UpsertedIssue>;
}

export interface UpsertIssue {
  /** stable per mirrored thing (a Baton issue's id): the marker the issue is found by */
  key: string;
  /** the issue's number when it is known (one filed by hand, without the marker yet): edited in place */
  number?: number;
  title: string;
  body: string;
  labels: readonly string[];
  state: 'open' | 'closed';
}

export interface UpsertedIssue {
  number: number;
  url: string;
  /** false when an issue of the key existed (edited or left as it was) */
  created: boolean;
}

export type Dispatch =
  | { kind: 'repository'; eventType: string; payload: Record<string, unknown>; dispatchId: string }
  | { kind: 'workflow'; workflow: string; ref: string; inputs: Record<string, string>; dispatchId: string };

export type PullRequestState = 'open' | 'closed' | 'merged';
export type ReviewVerdict = 'approve' | 'changes_requested' | 'comment';
export type CommitState = 'pending' | 'success' | 'failure' | 'error';
export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface PullRequest {
  number: number;
  url: string;
  title: string;
  body: string;
  head: string;
  base: string;
  headSha: string;
  state: PullRequestState;
  draft: boolean;
  /** the merge commit once merged */
  mergeSha: string | null;
}

export interface FindPullRequest {
  head: string;
  base?: string;
  idempotencyKey?: string;
  /** only the pull request opened under `idempotencyKey` (no open one of head and base instead) */
  keyOnly?: boolean;
}

export interface DeletedBranch {
  deleted: boolean;
  /** where the branch pointed when it was looked at (null: it was gone) */
  sha: string | null;
}

export interface ClosePullRequest {
  /** posted before closing (Markdown) */
  comment?: string;
  idempotencyKey: string;
}

export interface OpenPullRequest {
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  idempotencyKey: string;
}

export interface NewComment {
  body: string;
  idempotencyKey: string;
  /** one comment per key, edited in place (a progress comment) */
  progressKey?: string;
}

export interface Comment {
  id: string;
  url: string;
  /** false when an earlier comment of the same key or idempotency key was edited or found */
  created: boolean;
}

export interface InlineComment {
  path: string;
  line: number;
  body: string;
}

export interface NewReview {
  verdict: ReviewVerdict;
  body: string;
  comments: InlineComment[];
  idempotencyKey: string;
}

export interface Review {
  id: string;
  verdict: ReviewVerdict;
  body: string;
  author: string;
  /** the head commit the review applies to */
  commitSha: string;
  comments: InlineComment[];
  submittedAt: number;
}

export interface NewStatus {
  context: string;
  state: CommitState;
  description?: string;
  targetUrl?: string;
}

export interface CiState {
  /** failure if any failed, pending if any pending (or none reported), else success */
  state: 'pending' | 'success' | 'failure';
  checks: { name: string; state: CommitState }[];
  sha: string;
}

export interface Mergeability {
  mergeable: boolean | null;
  /** files in conflict, when known */
  conflicts: string[];
}

export interface MergeRequest {
  method: MergeMethod;
  /** merge only if the head is still this commit */
  sha?: string;
  idempotencyKey: string;
  /** the commit message of a merge or squash commit */
  message?: string;
}

export interface MergeResult {
  sha: string;
  /** false when it was already merged (a second run of the step) */
  merged: boolean;
}
