import { setTimeout as sleep } from 'node:timers/promises';
import { BatonError } from '../../domain/errors.ts';
import type {
  CiState,
  ClosePullRequest,
  Comment,
  DeletedBranch,
  Dispatch,
  CommitState,
  FindPullRequest,
  Forge,
  InlineComment,
  Mergeability,
  MergeMethod,
  MergeRequest,
  MergeResult,
  NewComment,
  NewReview,
  NewStatus,
  OpenPullRequest,
  PullRequest,
  Review,
  UpsertedIssue,
  UpsertIssue,
} from '../Forge.ts';
import type { GitCredentials } from '../git/GitCredentials.ts';
import { GithubClient, splitRepo, type GhOctokit, type GithubClientOptions } from './githubClient.ts';
import { githubMessages, isRequestError, toBatonError } from './githubErrors.ts';
import { githubBranchSha, githubDeleteBranch } from './githubBranches.ts';
import {
  CHECK_CONCLUSION,
  hasKey,
  listAll,
  MAX_PAGES,
  PAGE,
  REVIEW_STATE,
  requireKey,
  sameLabels,
  toPullRequest,
  untilAborted,
  VERDICT_EVENT,
  type IssueJson,
  type PullJson,
} from './githubJson.ts';
import {
  hasMarker,
  issueMarker,
  keyMarker,
  progressMarker,
  stripMarkers,
  withMarkers,
} from './githubMarkers.ts';
import {
  githubClosePullRequest,
  githubDisableAutoMerge,
  githubEnableAutoMerge,
  type PullStateDeps,
} from './githubPullState.ts';

export interface GithubForgeOptions extends GithubClientOptions {
  /** where repositories are cloned from: https://github.com (default), a GHES host, the fake's URL */
  gitUrl?: string;
  /** how often `mergeability` asks again while GitHub is still computing it (default 5 × 500 ms) */
  mergeabilityPolls?: number;
  mergeabilityPollMs?: number;
}

export interface GithubForge extends Forge {
  readonly kind: 'github';
  readonly client: GithubClient;
  enableAutoMerge(
    repo: string,
    number: number,
    method: MergeMethod,
    signal: AbortSignal,
  ): Promise<'enabled' | 'clean'>;
  disableAutoMerge(repo: string, number: number, signal: AbortSignal): Promise<void>;
}

/**
 * The `github` forge: Octokit as a GitHub App (installation tokens) or with a token. Idempotency
 * lives on GitHub itself: what Baton writes carries a hidden marker of the step's key (see
 * githubMarkers.ts), found again by listing, so a step that runs twice — even after a crash between
 * the write and its record — acts once.
 *
 * Compensation: every method makes at most one mutating call, so nothing is left half-done inside
 * the forge; what a lost answer leaves ambiguous is reconciled instead of duplicated — a pull
 * request whose creation failed after GitHub may have made it (5xx/network after the retries, or
 * 422 "already exists") is looked up by its marker and by head/base and returned, a review or a
 * comment likewise by its marker. A merge refused (405/409) changed nothing and is reported as a
 * non-retryable error naming GitHub's reason. Operations of several calls (push → pull request →
 * reviewers) are compensated by the actions (src/actions/saga.ts) with `deleteBranch` (compare,
 * then delete) and `closePullRequest`, which live in githubBranches.ts and githubPullState.ts with
 * GitHub's GraphQL auto-merge.
 */
export function createGithubForge(opts: GithubForgeOptions): GithubForge {
  return new GithubForgeImpl(new GithubClient(opts), opts);
}

class GithubForgeImpl implements GithubForge {
  readonly kind = 'github' as const;
  private readonly gitUrl: string;

  constructor(
    readonly client: GithubClient,
    private readonly o: GithubForgeOptions,
  ) {
    this.gitUrl = (o.gitUrl ?? 'https://github.com').replace(/\/+$/, '');
  }

  /** Runs one GitHub call on `repo`'s client, turning its failure into a BatonError. */
  private readonly call = async <T>(
    repo: string,
    what: string,
    signal: AbortSignal,
    f: (gh: GhOctokit, r: { owner: string; repo: string; request: { signal: AbortSignal } }) => Promise<T>,
  ): Promise<T> => {
    const { owner, name } = splitRepo(repo);
    const gh = await this.client.forRepo(repo, signal);
    try {
      // a throttled call waits inside Octokit; a cancelled step must not wait with it
      return await untilAborted(f(gh, { owner, repo: name, request: { signal } }), signal);
    } catch (e) {
      signal.throwIfAborted();
      throw toBatonError(e, `${what} on ${repo}`);
    }
  };

  private get pullState(): PullStateDeps {
    return {
      call: this.call,
      pull: (repo, number, signal) => this.pull(repo, number, signal),
      comment: (repo, number, c, signal) => this.comment(repo, number, c, signal),
    };
  }

  branchSha(repo: string, branch: string, signal: AbortSignal): Promise<string | null> {
    return githubBranchSha(this.call, repo, branch, signal);
  }

  deleteBranch(
    repo: string,
    branch: string,
    expectedSha: string,
    signal: AbortSignal,
  ): Promise<DeletedBranch> {
    return githubDeleteBranch(this.call, repo, branch, expectedSha, signal);
  }

  closePullRequest(repo: string, n: number, c: ClosePullRequest, signal: AbortSignal): Promise<PullRequest> {
    return githubClosePullRequest(this.pullState, repo, n, c, signal);
  }

  enableAutoMerge(
    repo: string,
    n: number,
    m: MergeMethod,
    signal: AbortSignal,
  ): Promise<'enabled' | 'clean'> {
    return githubEnableAutoMerge(this.pullState, repo, n, m, signal);
  }

  disableAutoMerge(repo: string, n: number, signal: AbortSignal): Promise<void> {
    return githubDisableAutoMerge(this.pullState, repo, n, signal);
  }

  async remote(repo: string, signal: AbortSignal): Promise<{ url: string; credentials: GitCredentials }> {
    const { owner, name } = splitRepo(repo);
    const credentials: GitCredentials = {
      headers: async (_url, s) => {
        const token = await this.client.token(repo, s);
        return { Authorization: `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}` };
      },
    };
    if (this.client.mode === 'app') await this.client.installation(repo, signal);
    return { url: `${this.gitUrl}/${owner}/${name}.git`, credentials };
  }

  async defaultBranch(repo: string, signal: AbortSignal): Promise<string> {
    return this.call(repo, 'read the repository', signal, async (gh, r) => {
      const { data } = await gh.rest.repos.get(r);
      return data.default_branch;
    });
  }

  /** The pull requests of a head branch (open and closed), newest first. */
  private async pullsOfHead(repo: string, head: string, signal: AbortSignal): Promise<PullJson[]> {
    return this.call(repo, `list the pull requests of ${head}`, signal, async (gh, r) => {
      const out: PullJson[] = [];
      const qualified = head.includes(':') ? head : `${r.owner}:${head}`;
      for (let page = 1; page <= MAX_PAGES; page++) {
        const { data } = await gh.rest.pulls.list({
          ...r,
          head: qualified,
          state: 'all',
          per_page: PAGE,
          page,
        });
        out.push(...(data as PullJson[]));
        if (data.length < PAGE) break;
      }
      return out;
    });
  }

  async findPullRequest(repo: string, q: FindPullRequest, signal: AbortSignal): Promise<PullRequest | null> {
    const pulls = await this.pullsOfHead(repo, q.head, signal);
    const key = q.idempotencyKey;
    const byKey = key === undefined ? undefined : pulls.find((p) => hasMarker(p.body, keyMarker(key)));
    const open =
      q.keyOnly === true
        ? undefined
        : pulls.find((p) => p.state === 'open' && (q.base === undefined || p.base.ref === q.base));
    const hit = byKey ?? open;
    return hit ? toPullRequest(hit) : null;
  }

  async openPullRequest(repo: string, p: OpenPullRequest, signal: AbortSignal): Promise<PullRequest> {
    requireKey(p.idempotencyKey);
    const again = await this.findPullRequest(
      repo,
      { head: p.head, idempotencyKey: p.idempotencyKey },
      signal,
    );
    if (again && hasKey(again, p)) return again;
    const { owner, name } = splitRepo(repo);
    const gh = await this.client.forRepo(repo, signal);
    try {
      const { data } = await gh.rest.pulls.create({
        owner,
        repo: name,
        head: p.head,
        base: p.base,
        title: p.title,
        body: withMarkers(p.body, keyMarker(p.idempotencyKey)),
        draft: p.draft,
        request: { signal },
      });
      return toPullRequest(data);
    } catch (e) {
      signal.throwIfAborted();
      const exists =
        isRequestError(e) &&
        e.status === 422 &&
        githubMessages(e).some((m) => /pull request already exists/i.test(m));
      const ambiguous = !isRequestError(e) || e.status >= 500;
      if (exists || ambiguous) {
        // GitHub has it already (ours from a lost answer, or one opened by hand): one pull request
        const found = await this.findPullRequest(
          repo,
          { head: p.head, base: p.base, idempotencyKey: p.idempotencyKey },
          signal,
        );
        if (found && (exists || hasKey(found, p))) return found;
      }
      throw toBatonError(e, `open a pull request ${p.head} → ${p.base} on ${repo}`);
    }
  }

  async getPullRequest(repo: string, number: number, signal: AbortSignal): Promise<PullRequest> {
    return toPullRequest(await this.pull(repo, number, signal));
  }

  private async pull(repo: string, number: number, signal: AbortSignal): Promise<PullJson> {
    return this.call(repo, `read pull request #${number}`, signal, async (gh, r) => {
      const { data } = await gh.rest.pulls.get({ ...r, pull_number: number });
      return data;
    });
  }

  async comment(repo: string, number: number, c: NewComment, signal: AbortSignal): Promise<Comment> {
    requireKey(c.idempotencyKey);
    const marker = c.progressKey === undefined ? keyMarker(c.idempotencyKey) : progressMarker(c.progressKey);
    const body = withMarkers(c.body, marker);
    return this.call(repo, `comment on #${number}`, signal, async (gh, r) => {
      const existing = await listAll(gh.rest.issues.listComments, { ...r, issue_number: number });
      const prior = existing.find((x) => hasMarker(x.body, marker));
      if (prior) {
        if (c.progressKey !== undefined && prior.body !== body)
          await gh.rest.issues.updateComment({ ...r, comment_id: prior.id, body });
        return { id: String(prior.id), url: prior.html_url, created: false };
      }
      const { data } = await gh.rest.issues.createComment({ ...r, issue_number: number, body });
      return { id: String(data.id), url: data.html_url, created: true };
    });
  }

  async listReviews(repo: string, number: number, signal: AbortSignal): Promise<Review[]> {
    return this.call(repo, `list the reviews of #${number}`, signal, async (gh, r) => {
      const [reviews, comments] = await Promise.all([
        listAll(gh.rest.pulls.listReviews, { ...r, pull_number: number }),
        listAll(gh.rest.pulls.listReviewComments, { ...r, pull_number: number }),
      ]);
      const out: Review[] = [];
      for (const v of reviews) {
        const verdict = REVIEW_STATE[v.state];
        if (!verdict) continue; // PENDING, DISMISSED
        out.push({
          id: String(v.id),
          verdict,
          body: stripMarkers(v.body),
          author: v.user?.login ?? '',
          commitSha: v.commit_id ?? '',
          comments: comments
            .filter((x) => x.pull_request_review_id === v.id)
            .map((x) => ({ path: x.path, line: x.line ?? x.original_line ?? 0, body: x.body })),
          submittedAt: v.submitted_at ? Date.parse(v.submitted_at) : 0,
        });
      }
      return out;
    });
  }

  async submitReview(repo: string, number: number, v: NewReview, signal: AbortSignal): Promise<Review> {
    requireKey(v.idempotencyKey);
    const event = VERDICT_EVENT[v.verdict];
    if (!event)
      throw new BatonError('invalid_input', `a review verdict is approve, changes_requested or comment`, {
        field: 'with.verdict',
      });
    const marker = keyMarker(v.idempotencyKey);
    const prior = (await this.listRaw(repo, number, signal)).find((x) => hasMarker(x.body, marker));
    if (prior) return (await this.listReviews(repo, number, signal)).find((x) => x.id === String(prior.id))!;
    const comments: InlineComment[] = v.comments;
    return this.call(repo, `review #${number}`, signal, async (gh, r) => {
      const { data } = await gh.rest.pulls.createReview({
        ...r,
        pull_number: number,
        event,
        body: withMarkers(v.body, marker),
        ...(comments.length
          ? { comments: comments.map((x) => ({ path: x.path, line: x.line, side: 'RIGHT', body: x.body })) }
          : {}),
      });
      return {
        id: String(data.id),
        verdict: REVIEW_STATE[data.state] ?? v.verdict,
        body: stripMarkers(data.body),
        author: data.user?.login ?? '',
        commitSha: data.commit_id ?? '',
        comments: comments.map((x) => ({ ...x })),
        submittedAt: data.submitted_at ? Date.parse(data.submitted_at) : Date.now(),
      };
    });
  }

  private async listRaw(repo: string, number: number, signal: AbortSignal) {
    return this.call(repo, `list the reviews of #${number}`, signal, (gh, r) =>
      listAll(gh.rest.pulls.listReviews, { ...r, pull_number: number }),
    );
  }

  async requestReviewers(
    repo: string,
    number: number,
    logins: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    if (logins.length === 0) return;
    await this.call(repo, `request reviewers on #${number}`, signal, (gh, r) =>
      gh.rest.pulls.requestReviewers({ ...r, pull_number: number, reviewers: [...logins] }),
    );
  }

  async setStatus(repo: string, sha: string, s: NewStatus, signal: AbortSignal): Promise<void> {
    await this.call(repo, `set the status ${s.context} of ${sha.slice(0, 12)}`, signal, (gh, r) =>
      gh.rest.repos.createCommitStatus({
        ...r,
        sha,
        state: s.state,
        context: s.context,
        ...(s.description === undefined ? {} : { description: s.description }),
        ...(s.targetUrl === undefined ? {} : { target_url: s.targetUrl }),
      }),
    );
  }

  async ciState(repo: string, ref: string, signal: AbortSignal): Promise<CiState> {
    return this.call(repo, `read the checks of ${ref}`, signal, async (gh, r) => {
      const [combined, runs] = await Promise.all([
        gh.rest.repos.getCombinedStatusForRef({ ...r, ref, per_page: PAGE }),
        gh.rest.checks.listForRef({ ...r, ref, per_page: PAGE }),
      ]);
      const checks: CiState['checks'] = combined.data.statuses.map((s) => ({
        name: s.context,
        state: s.state as CommitState,
      }));
      for (const run of runs.data.check_runs)
        checks.push({
          name: run.name,
          state:
            run.status !== 'completed' ? 'pending' : (CHECK_CONCLUSION[run.conclusion ?? ''] ?? 'pending'),
        });
      const states = checks.map((c) => c.state);
      const state: CiState['state'] = states.some((s) => s === 'failure' || s === 'error')
        ? 'failure'
        : states.length === 0 || states.includes('pending')
          ? 'pending'
          : 'success';
      return { state, checks, sha: combined.data.sha };
    });
  }

  async mergeability(repo: string, number: number, signal: AbortSignal): Promise<Mergeability> {
    const polls = this.o.mergeabilityPolls ?? 5;
    const pollMs = this.o.mergeabilityPollMs ?? 500;
    for (let i = 0; ; i++) {
      const p = await this.pull(repo, number, signal);
      // GitHub computes `mergeable` in the background: null until it is known
      if (p.mergeable !== null && p.mergeable !== undefined) return { mergeable: p.mergeable, conflicts: [] };
      if (p.state !== 'open' || i + 1 >= polls) return { mergeable: null, conflicts: [] };
      await sleep(pollMs, undefined, { signal });
    }
  }

  async dispatch(repo: string, d: Dispatch, signal: AbortSignal): Promise<void> {
    await this.call(
      repo,
      `send a ${d.kind === 'repository' ? 'repository' : 'workflow'} dispatch`,
      signal,
      async (gh, r) => {
        if (d.kind === 'repository') {
          await gh.rest.repos.createDispatchEvent({
            ...r,
            event_type: d.eventType,
            client_payload: { ...d.payload, dispatch_id: d.dispatchId },
          });
        } else {
          await gh.rest.actions.createWorkflowDispatch({
            ...r,
            workflow_id: d.workflow,
            ref: d.ref,
            inputs: { ...d.inputs, dispatch_id: d.dispatchId },
          });
        }
      },
    );
  }

  /**
   * The issue of `u.key`: found by its marker among the repository's issues (open and closed, pull
   * requests left out), else created; then one edit of whatever differs (title, body, labels,
   * state). A create whose answer is lost (5xx, network) is looked up by its marker, not repeated.
   */
  async upsertIssue(repo: string, u: UpsertIssue, signal: AbortSignal): Promise<UpsertedIssue> {
    requireKey(u.key);
    const marker = issueMarker(u.key);
    const body = withMarkers(u.body, marker);
    const labels = [...new Set(u.labels)];
    let found =
      (u.number === undefined ? null : await this.issueOfNumber(repo, u.number, signal)) ??
      (await this.issueOfMarker(repo, marker, signal));
    let created = false;
    if (!found) {
      const { owner, name } = splitRepo(repo);
      const gh = await this.client.forRepo(repo, signal);
      try {
        const { data } = await gh.rest.issues.create({
          owner,
          repo: name,
          title: u.title,
          body,
          labels,
          request: { signal },
        });
        if (u.state === 'open') return { number: data.number, url: data.html_url, created: true };
        found = data;
      } catch (e) {
        signal.throwIfAborted();
        const ambiguous = !isRequestError(e) || e.status >= 500;
        found = ambiguous ? await this.issueOfMarker(repo, marker, signal) : null;
        if (!found) throw toBatonError(e, `create the issue "${u.title}" on ${repo}`);
      }
      created = true;
    }
    const had = found;
    const edit = {
      ...(had.title === u.title ? {} : { title: u.title }),
      ...((had.body ?? '') === body ? {} : { body }),
      ...(sameLabels(had.labels, labels) ? {} : { labels }),
      ...(had.state === u.state
        ? {}
        : { state: u.state, ...(u.state === 'closed' ? { state_reason: 'completed' as const } : {}) }),
    };
    if (Object.keys(edit).length > 0)
      await this.call(repo, `update issue #${had.number}`, signal, (gh, r) =>
        gh.rest.issues.update({ ...r, issue_number: had.number, ...edit }),
      );
    return { number: had.number, url: had.html_url, created };
  }

  /** Issue `number` (not a pull request), or null when there is none. */
  private async issueOfNumber(repo: string, number: number, signal: AbortSignal): Promise<IssueJson | null> {
    return this.call(repo, `get issue #${number}`, signal, async (gh, r) => {
      try {
        const { data } = await gh.rest.issues.get({ ...r, issue_number: number });
        return data.pull_request ? null : data;
      } catch (e) {
        if (isRequestError(e) && (e.status === 404 || e.status === 410)) return null;
        throw e;
      }
    });
  }

  /** The issue (not pull request) carrying `marker` in its body, the oldest when several do. */
  private async issueOfMarker(repo: string, marker: string, signal: AbortSignal): Promise<IssueJson | null> {
    return this.call(repo, 'list the issues', signal, async (gh, r) => {
      const all: IssueJson[] = await listAll(gh.rest.issues.listForRepo, { ...r, state: 'all' as const });
      const mine = all.filter((i) => !i.pull_request && hasMarker(i.body, marker));
      return mine.sort((a, b) => a.number - b.number)[0] ?? null;
    });
  }

  async merge(repo: string, number: number, m: MergeRequest, signal: AbortSignal): Promise<MergeResult> {
    requireKey(m.idempotencyKey);
    const before = await this.pull(repo, number, signal);
    if (before.merged_at) return { sha: before.merge_commit_sha ?? '', merged: false };
    const { owner, name } = splitRepo(repo);
    const gh = await this.client.forRepo(repo, signal);
    try {
      const { data } = await gh.rest.pulls.merge({
        owner,
        repo: name,
        pull_number: number,
        merge_method: m.method,
        ...(m.sha === undefined ? {} : { sha: m.sha }),
        ...(m.message === undefined || m.method === 'rebase' ? {} : { commit_title: m.message }),
        request: { signal },
      });
      return { sha: data.sha, merged: true };
    } catch (e) {
      signal.throwIfAborted();
      if (isRequestError(e) && (e.status === 405 || e.status === 409 || e.status >= 500)) {
        // merged meanwhile (a lost answer, a second run, a person): not an error
        const after = await this.pull(repo, number, signal).catch(() => null);
        if (after?.merged_at) return { sha: after.merge_commit_sha ?? '', merged: false };
      }
      if (isRequestError(e) && (e.status === 405 || e.status === 409)) {
        const reason = githubMessages(e).join('; ') || e.message;
        throw new BatonError(
          e.status === 409 ? 'conflict' : 'invalid_state',
          `GitHub refused to merge #${number} on ${repo} (${m.method}): ${reason}`,
          {
            cause: e,
            retryable: false,
            hint:
              e.status === 409
                ? 'the head or base branch moved: review the new head and merge again'
                : 'check the pull request is not a draft, has no conflicts, and the merge method is allowed',
          },
        );
      }
      throw toBatonError(e, `merge #${number} on ${repo}`);
    }
  }
}
