import type { CommitState, InlineComment, MergeMethod, PullRequestState, ReviewVerdict } from '../Forge.ts';

/** A pull request of the local forge as stored. `repository` is the bare repository's canonical path. */
export interface PullRequestRecord {
  id: string;
  repository: string;
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  headSha: string;
  state: PullRequestState;
  draft: boolean;
  idempotencyKey: string;
  /** the idempotency key of the merge (also set while a merge is in flight) */
  mergeKey: string | null;
  /** the merge result: the planned commit while a merge is in flight, the base's new tip once merged */
  mergeSha: string | null;
  mergeMethod: MergeMethod | null;
  /** the base commit the pull request was merged onto (for its diff after the merge) */
  mergedBaseSha: string | null;
  createdAt: number;
  updatedAt: number;
  mergedAt: number | null;
}

export type NewPullRequestRecord = Omit<
  PullRequestRecord,
  'number' | 'state' | 'mergeKey' | 'mergeSha' | 'mergeMethod' | 'mergedBaseSha' | 'mergedAt'
>;

export type PullRequestPatch = Partial<
  Pick<
    PullRequestRecord,
    'headSha' | 'state' | 'mergeKey' | 'mergeSha' | 'mergeMethod' | 'mergedBaseSha' | 'mergedAt'
  >
> & { updatedAt: number };

export interface CommentRecord {
  id: string;
  repository: string;
  number: number;
  body: string;
  idempotencyKey: string;
  progressKey: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ReviewRecord {
  id: string;
  repository: string;
  number: number;
  verdict: ReviewVerdict;
  body: string;
  author: string;
  commitSha: string;
  comments: InlineComment[];
  idempotencyKey: string;
  submittedAt: number;
}

export interface StatusRecord {
  repository: string;
  sha: string;
  context: string;
  state: CommitState;
  description: string | null;
  targetUrl: string | null;
  updatedAt: number;
}

/** An event for the outbox, written in the transaction of the change it describes. */
export interface NewForgeEvent {
  type: string;
  payload: Record<string, unknown>;
}

export interface ForgeEventRecord extends NewForgeEvent {
  id: number;
  createdAt: number;
}

export type CreatePullRequestResult =
  /** `existing`: the pull request of the same idempotency key */
  | { kind: 'created' | 'existing'; pr: PullRequestRecord }
  /** another pull request of the same head → base is open */
  | { kind: 'open_conflict'; pr: PullRequestRecord };

/**
 * What the local forge needs from the database. Each change and the events describing it are
 * written in one transaction (the outbox), so an event is never lost to a crash after the change.
 */
export interface LocalForgeStore {
  getPullRequest(repository: string, number: number): Promise<PullRequestRecord | undefined>;
  getPullRequestByKey(repository: string, idempotencyKey: string): Promise<PullRequestRecord | undefined>;
  findOpenPullRequest(
    repository: string,
    head: string,
    base?: string,
  ): Promise<PullRequestRecord | undefined>;
  listOpenPullRequestsAt(repository: string, sha: string): Promise<PullRequestRecord[]>;
  /**
   * The pull request of this idempotency key, else a conflict with the open one of the same
   * head → base, else a new one numbered after the repository's last.
   */
  createPullRequest(
    input: NewPullRequestRecord,
    events: (pr: PullRequestRecord) => NewForgeEvent[],
  ): Promise<CreatePullRequestResult>;
  /** a compare-and-set: false when no row matched (the state or head differ from the expected ones) */
  updatePullRequest(
    id: string,
    patch: PullRequestPatch,
    opts?: { expectState?: PullRequestState; expectHeadSha?: string; events?: NewForgeEvent[] },
  ): Promise<boolean>;
  /**
   * With a progress key: edit that key's comment in place when there is one. Otherwise the comment
   * of the idempotency key when there is one, else a new comment (and its events).
   */
  saveComment(
    input: Omit<CommentRecord, 'updatedAt'>,
    events: (c: CommentRecord) => NewForgeEvent[],
  ): Promise<{ comment: CommentRecord; created: boolean }>;
  /** the review of the same idempotency key, or this one recorded (with its events) */
  createReview(
    input: ReviewRecord,
    events: NewForgeEvent[],
  ): Promise<{ review: ReviewRecord; created: boolean }>;
  listReviews(repository: string, number: number): Promise<ReviewRecord[]>;
  listComments(repository: string, number: number): Promise<CommentRecord[]>;
  /** returns the logins that were newly requested */
  addReviewers(
    repository: string,
    number: number,
    logins: readonly string[],
    now: number,
    events: (added: string[]) => NewForgeEvent[],
  ): Promise<string[]>;
  listReviewers(repository: string, number: number): Promise<string[]>;
  /** records a status (latest wins per sha and context); `events` sees the statuses before and after */
  setStatus(
    status: StatusRecord,
    events: (before: StatusRecord[], after: StatusRecord[]) => NewForgeEvent[],
  ): Promise<void>;
  listStatuses(repository: string, sha: string): Promise<StatusRecord[]>;
  listPendingEvents(limit: number): Promise<ForgeEventRecord[]>;
  markEventEmitted(id: number, now: number): Promise<void>;
}
