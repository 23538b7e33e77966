import { setTimeout as sleep } from 'node:timers/promises';
import { isBatonError } from '../../domain/errors.ts';
import type { PullRequest } from '../../forges/Forge.ts';
import type { ActionContext, ResolvedRepo } from '../ActionContext.ts';
import { ActionFailed } from '../ActionFailed.ts';
import { reasons } from './mergeBlockers.ts';
import { assessMerge, changeLogger, type MergeInput } from './mergeState.ts';

/** Baton's own merge: now, or (`wait`) once every blocker is gone; fails on a final one. */
export async function waitThenMerge(
  repo: ResolvedRepo,
  input: MergeInput,
  wait: boolean,
  pollMs: number,
  ctx: ActionContext,
): Promise<Record<string, string>> {
  const auto = input.auto === true ? 'baton' : '';
  const waiting = changeLogger(ctx);
  for (;;) {
    const { pr, blockers } = await assessMerge(repo, input, ctx);
    if (pr.state === 'merged') {
      await ctx.log(`#${pr.number} is already merged (${pr.mergeSha ?? '?'})`);
      return mergedOutputs(pr, pr.mergeSha ?? '', false, auto);
    }
    const final = blockers.filter((b) => b.final);
    if (final.length || (blockers.length && !wait))
      throw new ActionFailed(
        `#${pr.number} cannot be merged: ${reasons(final.length ? final : blockers)}${wait ? ' (waiting cannot fix this)' : ''}`,
        { state: pr.state, blockers: JSON.stringify(blockers.map((b) => b.reason)) },
      );
    if (blockers.length === 0) {
      try {
        const r = await repo.forge.merge(
          repo.ref,
          pr.number,
          { method: input.method, sha: pr.headSha, idempotencyKey: ctx.idempotencyKey, message: pr.title },
          ctx.signal,
        );
        await ctx.log(`merged #${pr.number} into ${pr.base} (${input.method}): ${r.sha.slice(0, 12)}`);
        return mergedOutputs(pr, r.sha, r.merged, auto);
      } catch (e) {
        // the head or base moved between the look and the merge: look again
        if (!wait || !isBatonError(e, 'conflict')) throw e;
        await ctx.log(`#${pr.number} moved while merging (${e.message}); looking again`);
        continue;
      }
    }
    await waiting(`waiting to merge #${pr.number}: ${reasons(blockers)}`);
    await sleep(pollMs, undefined, { signal: ctx.signal });
  }
}

export function mergedOutputs(
  pr: PullRequest,
  sha: string,
  merged: boolean,
  auto: string,
): Record<string, string> {
  return { sha, merged: String(merged), base: pr.base, state: 'merged', auto };
}
