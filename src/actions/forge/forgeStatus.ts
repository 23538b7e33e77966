import type { ActionHandler } from '../ActionContext.ts';

/** `forge/status`: a commit status (a CI result) on a commit. */
export const forgeStatus: ActionHandler<{
  repository: string;
  ref: string;
  context: string;
  state: 'pending' | 'success' | 'failure' | 'error';
  description?: string | undefined;
  target_url?: string | undefined;
}> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  await repo.forge.setStatus(
    repo.ref,
    input.ref,
    {
      context: input.context,
      state: input.state,
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.target_url === undefined ? {} : { targetUrl: input.target_url }),
    },
    ctx.signal,
  );
  await ctx.log(`status ${input.context}=${input.state} on ${input.ref}`);
  return { state: input.state };
};
