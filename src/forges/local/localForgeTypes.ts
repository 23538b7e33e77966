import type { Forge } from '../Forge.ts';
import type { DiffLimits, PullRequestDiff } from './diffPullRequest.ts';
import type { CommentRecord } from './localForgeStore.ts';

/** The neutral events of the local forge (their payloads carry `repository`, `number` and `url`). */
export type LocalForgeEventType =
  | 'pr.opened'
  | 'pr.synchronized'
  | 'pr.commented'
  | 'pr.review_submitted'
  | 'pr.approved'
  | 'pr.changes_requested'
  | 'pr.review_requested'
  | 'pr.merged'
  | 'pr.closed'
  | 'checks.completed';

/**
 * Where the local forge's events go (wired to Baton's external events, so `wait: { event:
 * pr.merged }` steps and triggers react). Delivery is at least once: every payload carries a
 * stable `deliveryId` to drop duplicates by.
 */
export interface ForgeEvents {
  emit(type: LocalForgeEventType, payload: Record<string, unknown>, signal: AbortSignal): Promise<void>;
}

/** The local forge: the Forge port plus what the review step and the UI need. */
export interface LocalForge extends Forge {
  readonly kind: 'local';
  /** what the pull request changes (`git diff base...head`: stat and patch, bounded) */
  diff(repo: string, number: number, signal: AbortSignal, limits?: DiffLimits): Promise<PullRequestDiff>;
  /** the comments of a pull request, oldest first (progress comments with their latest body) */
  listComments(repo: string, number: number, signal: AbortSignal): Promise<CommentRecord[]>;
  /** the logins asked to review, in the order asked */
  requestedReviewers(repo: string, number: number, signal: AbortSignal): Promise<string[]>;
  /**
   * Emit the outbox's pending events, oldest first (every change flushes after itself; call this at
   * start-up for events a crash left behind). Returns how many were emitted; throws what `emit` threw.
   */
  flushEvents(signal: AbortSignal): Promise<number>;
}
