import { BatonError } from '../../domain/errors.ts';
import type { NewStatus } from '../Forge.ts';
import { resolveRef } from '../git/worktreeGit.ts';
import type { BareRepo } from './bareRepo.ts';
import { combineStatuses } from './combineStatuses.ts';
import { pullRequestUrl } from './forgeEventPayloads.ts';
import type { LocalForgeContext } from './localForgeContext.ts';
import { requireCommitState, requireKey, requireSha } from './localForgeInput.ts';
import type { NewForgeEvent, StatusRecord } from './localForgeStore.ts';

/**
 * Record the status of a commit of the bare repository for one context (the latest wins). When the
 * combined state leaves `pending`, emits `checks.completed` with the open pull requests at that
 * commit (`numbers`; `number`/`url` of the first one, null when none).
 */
export async function setCommitStatus(
  ctx: LocalForgeContext,
  repo: BareRepo,
  shaArg: string,
  s: NewStatus,
  signal: AbortSignal,
): Promise<void> {
  const state = requireCommitState(s.state);
  const context = requireKey(s.context, 'context');
  const sha = await resolveRef(repo.path, `${requireSha(shaArg, 'sha')}^{commit}`, signal);
  if (sha === null) {
    throw new BatonError('invalid_input', `commit ${shaArg} is not in ${repo.name}`, { field: 'sha' });
  }
  const prs = await ctx.store.listOpenPullRequestsAt(repo.path, sha);
  const status: StatusRecord = {
    repository: repo.path,
    sha,
    context,
    state,
    description: s.description ?? null,
    targetUrl: s.targetUrl ?? null,
    updatedAt: ctx.now(),
  };
  let emitted = false;
  await ctx.store.setStatus(status, (before, after): NewForgeEvent[] => {
    const was = combineStatuses(before.map((x) => x.state));
    const now = combineStatuses(after.map((x) => x.state));
    emitted = was === 'pending' && now !== 'pending';
    if (!emitted) return [];
    const first = prs[0];
    return [
      {
        type: 'checks.completed',
        payload: {
          forge: 'local',
          repository: repo.path,
          repositoryName: repo.name,
          sha,
          state: now,
          checks: after.map((x) => ({ name: x.context, state: x.state })),
          number: first?.number ?? null,
          url: first === undefined ? null : pullRequestUrl(repo, first.number),
          numbers: prs.map((p) => p.number),
        },
      },
    ];
  });
  if (emitted) await ctx.outbox.flushQuietly(signal);
}
