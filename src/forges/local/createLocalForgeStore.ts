import type { Db } from '../../store/queries/db.ts';
import { findOpenForgePullRequest } from '../../store/queries/forge/findOpenForgePullRequest.ts';
import { getForgeCommentByKey } from '../../store/queries/forge/getForgeCommentByKey.ts';
import { getForgeCommentByProgressKey } from '../../store/queries/forge/getForgeCommentByProgressKey.ts';
import { getForgePullRequest } from '../../store/queries/forge/getForgePullRequest.ts';
import { getForgePullRequestByKey } from '../../store/queries/forge/getForgePullRequestByKey.ts';
import { getForgeReviewByKey } from '../../store/queries/forge/getForgeReviewByKey.ts';
import { insertForgeComment } from '../../store/queries/forge/insertForgeComment.ts';
import { insertForgeEvents } from '../../store/queries/forge/insertForgeEvents.ts';
import { insertForgePullRequest } from '../../store/queries/forge/insertForgePullRequest.ts';
import { insertForgeReview } from '../../store/queries/forge/insertForgeReview.ts';
import { insertForgeReviewRequests } from '../../store/queries/forge/insertForgeReviewRequests.ts';
import { isUniqueViolation } from '../../store/queries/forge/isUniqueViolation.ts';
import { listForgeComments } from '../../store/queries/forge/listForgeComments.ts';
import { listForgeReviewRequests } from '../../store/queries/forge/listForgeReviewRequests.ts';
import { listForgeReviews } from '../../store/queries/forge/listForgeReviews.ts';
import { listForgeStatuses } from '../../store/queries/forge/listForgeStatuses.ts';
import { listOpenForgePullRequestsAtSha } from '../../store/queries/forge/listOpenForgePullRequestsAtSha.ts';
import { listPendingForgeEvents } from '../../store/queries/forge/listPendingForgeEvents.ts';
import { markForgeEventEmitted } from '../../store/queries/forge/markForgeEventEmitted.ts';
import { nextForgePullRequestNumber } from '../../store/queries/forge/nextForgePullRequestNumber.ts';
import { updateForgeCommentBody } from '../../store/queries/forge/updateForgeCommentBody.ts';
import { updateForgePullRequest } from '../../store/queries/forge/updateForgePullRequest.ts';
import { upsertForgeStatus } from '../../store/queries/forge/upsertForgeStatus.ts';
import type { LocalForgeStore, PullRequestRecord } from './localForgeStore.ts';
import {
  commentFromRow,
  forgeEventFromRow,
  pullRequestFromRow,
  pullRequestPatchToRow,
  pullRequestToRow,
  reviewFromRow,
  reviewToRow,
  statusFromRow,
  statusToRow,
} from './localForgeRows.ts';

const UNIQUE_RETRIES = 5;

/**
 * The local forge's store over Baton's database (SQLite or PostgreSQL, migration 012). Writes that
 * race on a unique index (two replicas numbering a pull request, a step and its retry posting the
 * same comment) run again: the second pass finds what the first one wrote.
 */
export function createLocalForgeStore(db: Db): LocalForgeStore {
  const tx = async <T>(fn: (trx: Db) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction().execute(fn);
      } catch (e) {
        if (!isUniqueViolation(e) || attempt >= UNIQUE_RETRIES) throw e;
      }
    }
  };
  const pr = (row: Parameters<typeof pullRequestFromRow>[0] | undefined) =>
    row === undefined ? undefined : pullRequestFromRow(row);

  return {
    getPullRequest: async (repository, number) => pr(await getForgePullRequest(db, repository, number)),
    getPullRequestByKey: async (repository, key) => pr(await getForgePullRequestByKey(db, repository, key)),
    findOpenPullRequest: async (repository, head, base) =>
      pr(await findOpenForgePullRequest(db, repository, head, base)),
    listOpenPullRequestsAt: async (repository, sha) =>
      (await listOpenForgePullRequestsAtSha(db, repository, sha)).map(pullRequestFromRow),

    createPullRequest: (input, events) =>
      tx(async (trx) => {
        const same = await getForgePullRequestByKey(trx, input.repository, input.idempotencyKey);
        if (same !== undefined) return { kind: 'existing' as const, pr: pullRequestFromRow(same) };
        const open = await findOpenForgePullRequest(trx, input.repository, input.head, input.base);
        if (open !== undefined) {
          // read committed: a racing call with the same key may have committed since the read above
          const kind = open.idempotency_key === input.idempotencyKey ? 'existing' : 'open_conflict';
          return { kind, pr: pullRequestFromRow(open) } as const;
        }
        const record: PullRequestRecord = {
          ...input,
          number: await nextForgePullRequestNumber(trx, input.repository),
          state: 'open',
          mergeKey: null,
          mergeSha: null,
          mergeMethod: null,
          mergedBaseSha: null,
          mergedAt: null,
        };
        await insertForgePullRequest(trx, pullRequestToRow(record));
        await insertForgeEvents(trx, events(record), input.createdAt);
        return { kind: 'created' as const, pr: record };
      }),

    updatePullRequest: (id, patch, opts = {}) =>
      tx(async (trx) => {
        const ok = await updateForgePullRequest(trx, id, pullRequestPatchToRow(patch), {
          ...(opts.expectState === undefined ? {} : { state: opts.expectState }),
          ...(opts.expectHeadSha === undefined ? {} : { headSha: opts.expectHeadSha }),
        });
        if (ok) await insertForgeEvents(trx, opts.events ?? [], patch.updatedAt);
        return ok;
      }),

    saveComment: (input, events) =>
      tx(async (trx) => {
        const { repository, number } = input;
        if (input.progressKey !== null) {
          const progress = await getForgeCommentByProgressKey(trx, repository, number, input.progressKey);
          if (progress !== undefined) {
            if (progress.body !== input.body) {
              await updateForgeCommentBody(trx, progress.id, input.body, input.createdAt);
            }
            const comment = commentFromRow(progress);
            return { comment: { ...comment, body: input.body }, created: false };
          }
        }
        const same = await getForgeCommentByKey(trx, repository, number, input.idempotencyKey);
        if (same !== undefined) return { comment: commentFromRow(same), created: false };
        const comment = { ...input, updatedAt: input.createdAt };
        await insertForgeComment(trx, {
          id: comment.id,
          repository,
          number,
          body: comment.body,
          idempotency_key: comment.idempotencyKey,
          progress_key: comment.progressKey,
          created_at: comment.createdAt,
          updated_at: comment.updatedAt,
        });
        await insertForgeEvents(trx, events(comment), input.createdAt);
        return { comment, created: true };
      }),

    createReview: (input, events) =>
      tx(async (trx) => {
        const same = await getForgeReviewByKey(trx, input.repository, input.number, input.idempotencyKey);
        if (same !== undefined) return { review: reviewFromRow(same), created: false };
        await insertForgeReview(trx, reviewToRow(input));
        await insertForgeEvents(trx, events, input.submittedAt);
        return { review: input, created: true };
      }),
    listReviews: async (repository, number) =>
      (await listForgeReviews(db, repository, number)).map(reviewFromRow),
    listComments: async (repository, number) =>
      (await listForgeComments(db, repository, number)).map(commentFromRow),

    addReviewers: (repository, number, logins, now, events) =>
      tx(async (trx) => {
        const added = await insertForgeReviewRequests(trx, repository, number, logins, now);
        if (added.length > 0) await insertForgeEvents(trx, events(added), now);
        return added;
      }),
    listReviewers: (repository, number) => listForgeReviewRequests(db, repository, number),

    setStatus: (status, events) =>
      tx(async (trx) => {
        const before = (await listForgeStatuses(trx, status.repository, status.sha)).map(statusFromRow);
        await upsertForgeStatus(trx, statusToRow(status));
        const after = (await listForgeStatuses(trx, status.repository, status.sha)).map(statusFromRow);
        await insertForgeEvents(trx, events(before, after), status.updatedAt);
      }),
    listStatuses: async (repository, sha) =>
      (await listForgeStatuses(db, repository, sha)).map(statusFromRow),

    listPendingEvents: async (limit) => (await listPendingForgeEvents(db, limit)).map(forgeEventFromRow),
    markEventEmitted: (id, now) => markForgeEventEmitted(db, id, now),
  };
}
