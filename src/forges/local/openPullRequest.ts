import { BatonError } from '../../domain/errors.ts';
import type { OpenPullRequest } from '../Forge.ts';
import { branchSha, type BareRepo } from './bareRepo.ts';
import { prEvent, pullRequestUrl } from './forgeEventPayloads.ts';
import { refreshPullRequest, type LocalForgeContext } from './localForgeContext.ts';
import { requireBranch, requireKey } from './localForgeInput.ts';
import type { PullRequestRecord } from './localForgeStore.ts';

/**
 * Open a pull request of `head` into `base` (both existing branches of the bare repository), or
 * return the one of the same idempotency key. A second open pull request of the same head → base
 * is refused (`conflict`, naming the open one).
 */
export async function openPullRequest(
  ctx: LocalForgeContext,
  repo: BareRepo,
  p: OpenPullRequest,
  signal: AbortSignal,
): Promise<PullRequestRecord> {
  const head = requireBranch(p.head, 'head');
  const base = requireBranch(p.base, 'base');
  const key = requireKey(p.idempotencyKey);
  if (head === base) {
    throw new BatonError('invalid_input', `head and base are the same branch (${head})`, { field: 'head' });
  }
  if (typeof p.title !== 'string' || p.title.trim() === '') {
    throw new BatonError('invalid_input', 'a pull request title is required', { field: 'title' });
  }
  const same = await ctx.store.getPullRequestByKey(repo.path, key);
  if (same !== undefined) return refreshPullRequest(ctx, repo, sameRequest(same, head, base), signal);

  const [headSha, baseSha] = await Promise.all([
    branchSha(repo, head, signal),
    branchSha(repo, base, signal),
  ]);
  const missing = [
    ...(headSha === null ? [`head branch "${head}"`] : []),
    ...(baseSha === null ? [`base branch "${base}"`] : []),
  ];
  if (headSha === null || missing.length > 0) {
    throw new BatonError(
      'invalid_input',
      `${missing.join(' and ')} ${missing.length > 1 ? 'do' : 'does'} not exist in ${repo.name}`,
      {
        field: headSha === null ? 'head' : 'base',
        hint: 'push the branch to the repository first',
        details: { repository: repo.path, missing: missing.length },
      },
    );
  }
  const now = ctx.now();
  const input = {
    id: ctx.newId(),
    repository: repo.path,
    title: p.title,
    body: typeof p.body === 'string' ? p.body : '',
    head,
    base,
    headSha,
    draft: p.draft === true,
    idempotencyKey: key,
    createdAt: now,
    updatedAt: now,
  };
  const res = await ctx.store.createPullRequest(input, (pr) => [
    prEvent('pr.opened', repo, pr, { headSha, baseSha, draft: pr.draft }),
  ]);
  if (res.kind === 'open_conflict') {
    const url = pullRequestUrl(repo, res.pr.number);
    throw new BatonError(
      'conflict',
      `pull request #${res.pr.number} of ${head} into ${base} is already open`,
      {
        hint: 'update or close that pull request, or use its idempotency key',
        details: { number: res.pr.number, url },
      },
    );
  }
  if (res.kind === 'existing') return refreshPullRequest(ctx, repo, sameRequest(res.pr, head, base), signal);
  await ctx.outbox.flushQuietly(signal);
  return res.pr;
}

function sameRequest(pr: PullRequestRecord, head: string, base: string): PullRequestRecord {
  if (pr.head !== head || pr.base !== base) {
    throw new BatonError(
      'idempotency_mismatch',
      `the idempotency key of pull request #${pr.number} (${pr.head} into ${pr.base}) was reused for ${head} into ${base}`,
    );
  }
  return pr;
}
