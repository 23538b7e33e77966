import type { Selectable } from 'kysely';
import type { CommitState, InlineComment, MergeMethod, PullRequestState, ReviewVerdict } from '../Forge.ts';
import { fromJson, toJson } from '../../store/mappers.ts';
import type {
  ForgeCommentsTable,
  ForgeEventsTable,
  ForgePullRequestsTable,
  ForgeReviewsTable,
  ForgeStatusesTable,
} from '../../store/schema.ts';
import type {
  CommentRecord,
  ForgeEventRecord,
  PullRequestPatch,
  PullRequestRecord,
  ReviewRecord,
  StatusRecord,
} from './localForgeStore.ts';

const numOrNull = (v: number | null) => (v === null ? null : Number(v));

export function pullRequestFromRow(r: Selectable<ForgePullRequestsTable>): PullRequestRecord {
  return {
    id: r.id,
    repository: r.repository,
    number: Number(r.number),
    title: r.title,
    body: r.body,
    head: r.head,
    base: r.base,
    headSha: r.head_sha,
    state: r.state as PullRequestState,
    draft: Number(r.draft) === 1,
    idempotencyKey: r.idempotency_key,
    mergeKey: r.merge_key,
    mergeSha: r.merge_sha,
    mergeMethod: r.merge_method as MergeMethod | null,
    mergedBaseSha: r.merged_base_sha,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    mergedAt: numOrNull(r.merged_at),
  };
}

export function pullRequestToRow(p: PullRequestRecord): ForgePullRequestsTable {
  return {
    id: p.id,
    repository: p.repository,
    number: p.number,
    title: p.title,
    body: p.body,
    head: p.head,
    base: p.base,
    head_sha: p.headSha,
    state: p.state,
    draft: p.draft ? 1 : 0,
    idempotency_key: p.idempotencyKey,
    merge_key: p.mergeKey,
    merge_sha: p.mergeSha,
    merge_method: p.mergeMethod,
    merged_base_sha: p.mergedBaseSha,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    merged_at: p.mergedAt,
  };
}

const PATCH_COLUMNS = {
  headSha: 'head_sha',
  state: 'state',
  mergeKey: 'merge_key',
  mergeSha: 'merge_sha',
  mergeMethod: 'merge_method',
  mergedBaseSha: 'merged_base_sha',
  mergedAt: 'merged_at',
  updatedAt: 'updated_at',
} as const satisfies Record<keyof PullRequestPatch, keyof ForgePullRequestsTable>;

export function pullRequestPatchToRow(p: PullRequestPatch): Partial<ForgePullRequestsTable> {
  const out: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(PATCH_COLUMNS)) {
    const v = p[k as keyof PullRequestPatch];
    if (v !== undefined) out[col] = v;
  }
  return out;
}

export function commentFromRow(r: Selectable<ForgeCommentsTable>): CommentRecord {
  return {
    id: r.id,
    repository: r.repository,
    number: Number(r.number),
    body: r.body,
    idempotencyKey: r.idempotency_key,
    progressKey: r.progress_key,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function reviewFromRow(r: Selectable<ForgeReviewsTable>): ReviewRecord {
  return {
    id: r.id,
    repository: r.repository,
    number: Number(r.number),
    verdict: r.verdict as ReviewVerdict,
    body: r.body,
    author: r.author,
    commitSha: r.commit_sha,
    comments: fromJson<InlineComment[]>(r.comments),
    idempotencyKey: r.idempotency_key,
    submittedAt: Number(r.submitted_at),
  };
}

export function reviewToRow(r: ReviewRecord): ForgeReviewsTable {
  return {
    id: r.id,
    repository: r.repository,
    number: r.number,
    verdict: r.verdict,
    body: r.body,
    author: r.author,
    commit_sha: r.commitSha,
    comments: toJson(r.comments),
    idempotency_key: r.idempotencyKey,
    submitted_at: r.submittedAt,
  };
}

export function statusFromRow(r: Selectable<ForgeStatusesTable>): StatusRecord {
  return {
    repository: r.repository,
    sha: r.sha,
    context: r.context,
    state: r.state as CommitState,
    description: r.description,
    targetUrl: r.target_url,
    updatedAt: Number(r.updated_at),
  };
}

export function statusToRow(s: StatusRecord): ForgeStatusesTable {
  return {
    repository: s.repository,
    sha: s.sha,
    context: s.context,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    updated_at: s.updatedAt,
  };
}

export function forgeEventFromRow(r: Selectable<ForgeEventsTable>): ForgeEventRecord {
  return {
    id: Number(r.id),
    type: r.type,
    payload: fromJson<Record<string, unknown>>(r.payload),
    createdAt: Number(r.created_at),
  };
}
