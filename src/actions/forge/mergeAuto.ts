import { setTimeout as sleep } from 'node:timers/promises';
import type { ActionContext, ResolvedRepo } from '../ActionContext.ts';
import { ActionFailed } from '../ActionFailed.ts';
import { describeError } from '../saga.ts';
import { reasons } from './mergeBlockers.ts';
import { assessMerge, changeLogger, type MergeInput } from './mergeState.ts';
import { mergedOutputs, waitThenMerge } from './mergeWait.ts';

/**
 * `auto: true` on a forge with its own auto-merge (GitHub): once nothing final blocks the pull
 * request and nothing only Baton knows about (open defects) does, GitHub's auto-merge is enabled
 * with the method (GitHub's branch protection then decides when it merges), and the step waits
 * for the merge by polling the pull request — unless `wait: false`, which returns once it is
 * enabled. A pull request that can be merged right away (GitHub: "clean status") is merged by
 * Baton itself, once Baton's own conditions hold. A step that gives up after enabling it (a final
 * blocker, cancel, timeout) turns GitHub's auto-merge off again, so nothing merges behind its back.
 */
export async function githubAutoMerge(
  repo: ResolvedRepo,
  input: MergeInput,
  pollMs: number,
  ctx: ActionContext,
): Promise<Record<string, string>> {
  const forge = repo.forge;
  const enable = forge.enableAutoMerge?.bind(forge);
  if (!enable) return waitThenMerge(repo, input, true, pollMs, ctx);
  const wait = input.wait !== false;
  const waiting = changeLogger(ctx);
  let enabled = false;
  try {
    for (;;) {
      const { pr, blockers } = await assessMerge(repo, input, ctx);
      if (pr.state === 'merged') {
        const byUs = enabled;
        enabled = false;
        await ctx.log(
          `#${pr.number} is merged (${pr.mergeSha ?? '?'})${byUs ? " by GitHub's auto-merge" : ''}`,
        );
        return mergedOutputs(pr, pr.mergeSha ?? '', byUs, 'github');
      }
      const final = blockers.filter((b) => b.final);
      if (final.length)
        throw new ActionFailed(
          `#${pr.number} cannot be merged: ${reasons(final)} (waiting cannot fix this)`,
          {
            state: pr.state,
            blockers: JSON.stringify(blockers.map((b) => b.reason)),
          },
        );
      if (!enabled && blockers.length === 0) return waitThenMerge(repo, input, true, pollMs, ctx);
      if (!enabled && !blockers.some((b) => b.batonOnly)) {
        const r = await enable(repo.ref, pr.number, input.method, ctx.signal);
        if (r === 'clean') {
          await ctx.log(
            `GitHub can merge #${pr.number} now (nothing it enforces holds it back): Baton waits for its own conditions, then merges`,
          );
          return waitThenMerge(repo, input, true, pollMs, ctx);
        }
        enabled = true;
        await ctx.log(`enabled GitHub's auto-merge (${input.method}) on #${pr.number}`);
        if (!wait) {
          enabled = false; // handed over: GitHub merges it when its rules hold
          return { sha: '', merged: 'false', base: pr.base, state: pr.state, auto: 'github' };
        }
      } else if (!wait)
        throw new ActionFailed(`#${pr.number} cannot get auto-merge yet: ${reasons(blockers)}`, {
          state: pr.state,
          blockers: JSON.stringify(blockers.map((b) => b.reason)),
        });
      await waiting(
        `waiting for ${enabled ? "GitHub's auto-merge of" : 'Baton to enable auto-merge on'} #${pr.number}: ${reasons(blockers) || 'GitHub to merge it'}`,
      );
      await sleep(pollMs, undefined, { signal: ctx.signal });
    }
  } finally {
    if (enabled) await turnOff(repo, input.number, ctx);
  }
}

/** The step gave up after enabling auto-merge: GitHub must not merge behind its back. */
async function turnOff(repo: ResolvedRepo, number: number, ctx: ActionContext): Promise<void> {
  const disable = repo.forge.disableAutoMerge?.bind(repo.forge);
  if (!disable) return;
  try {
    await disable(repo.ref, number, AbortSignal.timeout(10_000));
    await ctx.log(`turned GitHub's auto-merge of #${number} off again: this step no longer waits for it`);
  } catch (e) {
    await ctx
      .log(`could not turn GitHub's auto-merge of #${number} off: ${describeError(e)}`)
      .catch(() => undefined);
  }
}
