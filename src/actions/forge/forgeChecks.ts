import { setTimeout as sleep } from 'node:timers/promises';
import { parseDuration } from '../../domain/duration.ts';
import type { ActionHandler } from '../ActionContext.ts';
import { ActionFailed } from '../ActionFailed.ts';

const DEFAULT_POLL_MS = 10_000;

/**
 * `forge/checks`: the CI state of a pull request's head (statuses and check runs combined); with
 * `wait: true`, polls until it is no longer pending (the step's timeout bounds it).
 */
export const forgeChecks: ActionHandler<{
  repository: string;
  number: number;
  wait: boolean;
  poll?: string | undefined;
}> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  const pollMs = input.poll === undefined ? DEFAULT_POLL_MS : parseDuration(input.poll);
  let last = '';
  for (;;) {
    const pr = await repo.forge.getPullRequest(repo.ref, input.number, ctx.signal);
    const ci = await repo.forge.ciState(repo.ref, pr.headSha, ctx.signal);
    const line = `checks of #${input.number} at ${ci.sha.slice(0, 12)}: ${ci.state} (${ci.checks.map((c) => `${c.name}=${c.state}`).join(', ') || 'none reported'})`;
    if (line !== last) await ctx.log((last = line));
    const outputs = { state: ci.state, sha: ci.sha, checks: JSON.stringify(ci.checks) };
    if (ci.state === 'failure') {
      const failed = ci.checks.filter((c) => c.state === 'failure' || c.state === 'error').map((c) => c.name);
      throw new ActionFailed(`checks failed on #${input.number}: ${failed.join(', ')}`, outputs);
    }
    if (ci.state !== 'pending' || !input.wait) return outputs;
    await sleep(pollMs, undefined, { signal: ctx.signal });
  }
};
