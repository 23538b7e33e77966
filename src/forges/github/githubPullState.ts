import { BatonError } from '../../domain/errors.ts';
import type { ClosePullRequest, Comment, MergeMethod, NewComment, PullRequest } from '../Forge.ts';
import { toPullRequest, type GithubCall, type PullJson } from './githubJson.ts';

/** What closing and auto-merging need of the forge. */
export interface PullStateDeps {
  call: GithubCall;
  pull(repo: string, number: number, signal: AbortSignal): Promise<PullJson>;
  comment(repo: string, number: number, c: NewComment, signal: AbortSignal): Promise<Comment>;
}

/**
 * Closes an open pull request (`PATCH /repos/{o}/{r}/pulls/{n}` state closed), after its comment
 * (found again by its key's marker, so a re-run posts it once). Closed: returned as it is.
 */
export async function githubClosePullRequest(
  d: PullStateDeps,
  repo: string,
  number: number,
  c: ClosePullRequest,
  signal: AbortSignal,
): Promise<PullRequest> {
  const before = await d.pull(repo, number, signal);
  if (before.merged_at)
    throw new BatonError(
      'invalid_state',
      `pull request #${number} of ${repo} is merged: it cannot be closed`,
    );
  if (before.state !== 'open') return toPullRequest(before);
  if (c.comment !== undefined)
    await d.comment(repo, number, { body: c.comment, idempotencyKey: c.idempotencyKey }, signal);
  return d.call(repo, `close pull request #${number}`, signal, async (gh, r) => {
    const { data } = await gh.rest.pulls.update({ ...r, pull_number: number, state: 'closed' });
    return toPullRequest(data);
  });
}

const ENABLE = `mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number autoMergeRequest { enabledAt mergeMethod } }
  }
}`;
const DISABLE = `mutation($pullRequestId: ID!) {
  disablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId }) {
    pullRequest { number autoMergeRequest { enabledAt } }
  }
}`;

/** The messages of a GraphQL answer with `errors` (Octokit's GraphqlResponseError), else null. */
function graphqlErrors(e: unknown): string[] | null {
  if (!(e instanceof Error) || e.name !== 'GraphqlResponseError') return null;
  const errors = (e as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return [e.message];
  return errors.map((x) =>
    typeof x === 'object' && x !== null && typeof (x as { message?: unknown }).message === 'string'
      ? (x as { message: string }).message
      : String(x),
  );
}

async function nodeIdOf(d: PullStateDeps, repo: string, number: number, signal: AbortSignal) {
  const p = await d.pull(repo, number, signal);
  if (!p.node_id)
    throw new BatonError('internal', `GitHub gave no node_id for pull request #${number} of ${repo}`);
  return p.node_id;
}

/**
 * GitHub's native auto-merge through GraphQL (`enablePullRequestAutoMerge` with the pull request's
 * node id): GitHub merges once its branch protection holds. `clean` when GitHub refuses because the
 * pull request can be merged now ("Pull request is in clean status"). Enabling twice is harmless.
 */
export async function githubEnableAutoMerge(
  d: PullStateDeps,
  repo: string,
  number: number,
  method: MergeMethod,
  signal: AbortSignal,
): Promise<'enabled' | 'clean'> {
  const pullRequestId = await nodeIdOf(d, repo, number, signal);
  return d.call(repo, `enable auto-merge on #${number}`, signal, async (gh) => {
    try {
      await gh.graphql(ENABLE, { pullRequestId, mergeMethod: method.toUpperCase(), request: { signal } });
      return 'enabled' as const;
    } catch (e) {
      const messages = graphqlErrors(e);
      if (messages === null) throw e;
      if (messages.some((m) => /clean status/i.test(m))) return 'clean' as const;
      throw new BatonError(
        'invalid_state',
        `GitHub refused to enable auto-merge on #${number} of ${repo}: ${messages.join('; ')}`,
        {
          cause: e,
          hint: "allow auto-merge in the repository's settings, or use wait: true (Baton waits, then merges)",
        },
      );
    }
  });
}

/** `disablePullRequestAutoMerge`: GitHub no longer merges the pull request by itself. */
export async function githubDisableAutoMerge(
  d: PullStateDeps,
  repo: string,
  number: number,
  signal: AbortSignal,
): Promise<void> {
  const pullRequestId = await nodeIdOf(d, repo, number, signal);
  await d.call(repo, `disable auto-merge on #${number}`, signal, async (gh) => {
    try {
      await gh.graphql(DISABLE, { pullRequestId, request: { signal } });
    } catch (e) {
      const messages = graphqlErrors(e);
      if (messages === null) throw e;
      throw new BatonError(
        'invalid_state',
        `GitHub refused to disable auto-merge on #${number} of ${repo}: ${messages.join('; ')}`,
        { cause: e },
      );
    }
  });
}
