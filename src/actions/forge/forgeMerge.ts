import { parseDuration } from '../../domain/duration.ts';
import { BatonError } from '../../domain/errors.ts';
import type { ActionHandler } from '../ActionContext.ts';
import { githubAutoMerge } from './mergeAuto.ts';
import type { MergeInput } from './mergeState.ts';
import { waitThenMerge } from './mergeWait.ts';

const DEFAULT_POLL_MS = 10_000;

/**
 * `forge/merge`: merges a pull request once the conditions hold (approved at its head, checks
 * green, no conflicts), once per step key. By default it fails naming every blocker; `wait: true`
 * (and `auto: true` on a forge without its own auto-merge) polls until they hold, then merges —
 * failing at once on what waiting cannot fix; `auto: true` on GitHub hands the merge to GitHub's
 * auto-merge and waits for it (mergeAuto.ts). The step's timeout bounds every wait.
 */
export const forgeMerge: ActionHandler<MergeInput> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  const pollMs = input.poll === undefined ? DEFAULT_POLL_MS : parseDuration(input.poll);
  if (input.auto === true && repo.forge.enableAutoMerge) return githubAutoMerge(repo, input, pollMs, ctx);
  if (input.auto === true && input.wait === false)
    throw new BatonError(
      'invalid_input',
      `the ${repo.forge.kind} forge has no auto-merge of its own: with auto: true Baton waits, then merges`,
      { field: 'with.wait', hint: 'drop wait: false (or auto: true) on this repository' },
    );
  return waitThenMerge(repo, input, input.auto === true || input.wait === true, pollMs, ctx);
};
