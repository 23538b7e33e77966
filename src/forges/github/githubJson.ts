import { BatonError } from '../../domain/errors.ts';
import type { CommitState, OpenPullRequest, PullRequest, ReviewVerdict } from '../Forge.ts';
import type { GhOctokit } from './githubClient.ts';
import { hasMarker, keyMarker, stripMarkers } from './githubMarkers.ts';

/** Runs one GitHub call on a repository's client, turning its failure into a BatonError. */
export type GithubCall = <T>(
  repo: string,
  what: string,
  signal: AbortSignal,
  f: (gh: GhOctokit, r: { owner: string; repo: string; request: { signal: AbortSignal } }) => Promise<T>,
) => Promise<T>;

/** The shape of a pull request in GitHub's REST answers (the fields Baton reads). */
export interface PullJson {
  number: number;
  /** the GraphQL id (auto-merge mutations take it) */
  node_id?: string;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  draft?: boolean;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  mergeable?: boolean | null;
}

/** The shape of an issue in GitHub's REST answers (the fields Baton reads). */
export interface IssueJson {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  labels: Array<string | { name?: string }>;
  pull_request?: unknown;
}

export const labelName = (l: string | { name?: string }): string =>
  typeof l === 'string' ? l : (l.name ?? '');
export const sameLabels = (had: IssueJson['labels'], want: readonly string[]): boolean => {
  const a = new Set(had.map((l) => labelName(l).toLowerCase()));
  const b = new Set(want.map((l) => l.toLowerCase()));
  return a.size === b.size && [...a].every((l) => b.has(l));
};

export const VERDICT_EVENT: Record<ReviewVerdict, 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT'> = {
  approve: 'APPROVE',
  changes_requested: 'REQUEST_CHANGES',
  comment: 'COMMENT',
};
export const REVIEW_STATE: Record<string, ReviewVerdict> = {
  APPROVED: 'approve',
  CHANGES_REQUESTED: 'changes_requested',
  COMMENTED: 'comment',
};
/** A finished check's `conclusion`, as pass or fail (webhooks read it too). */
export const CHECK_CONCLUSION: Record<string, Extract<CommitState, 'success' | 'failure'>> = {
  success: 'success',
  neutral: 'success',
  skipped: 'success',
  failure: 'failure',
  timed_out: 'failure',
  cancelled: 'failure',
  action_required: 'failure',
  startup_failure: 'failure',
  stale: 'failure',
};
export const PAGE = 100;
export const MAX_PAGES = 10;

export function requireKey(key: string): void {
  if (typeof key !== 'string' || key.trim() === '')
    throw new BatonError('invalid_input', 'an idempotency key is required');
}

export const hasKey = (pr: PullRequest & { rawBody?: string }, p: OpenPullRequest): boolean =>
  pr.rawBody !== undefined && hasMarker(pr.rawBody, keyMarker(p.idempotencyKey));

export function toPullRequest(p: PullJson): PullRequest & { rawBody?: string } {
  const merged = Boolean(p.merged_at);
  const pr: PullRequest & { rawBody?: string } = {
    number: p.number,
    url: p.html_url,
    title: p.title,
    body: stripMarkers(p.body),
    head: p.head.ref,
    base: p.base.ref,
    headSha: p.head.sha,
    state: merged ? 'merged' : p.state === 'open' ? 'open' : 'closed',
    draft: p.draft === true,
    mergeSha: merged ? (p.merge_commit_sha ?? null) : null,
  };
  // kept off the enumerable fields (the port's shape), read by the idempotency checks
  Object.defineProperty(pr, 'rawBody', { value: p.body ?? '', enumerable: false });
  return pr;
}

/** Every page of a list endpoint (bounded). */
export async function listAll<P extends object, T>(
  f: (p: P & { per_page: number; page: number }) => Promise<{ data: T[] }>,
  params: P,
): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await f({ ...params, per_page: PAGE, page });
    out.push(...data);
    if (data.length < PAGE) break;
  }
  return out;
}

/** `p`, or the signal's abort reason as soon as it aborts (the abandoned call's outcome is dropped). */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      p.catch(() => undefined);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
