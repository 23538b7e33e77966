import type { ActionHandler } from '../ActionContext.ts';

/** `forge/comment`: a comment on a pull request or issue; `progress: true` edits the run's progress comment. */
export const forgeComment: ActionHandler<{
  repository: string;
  number: number;
  body: string;
  progress: boolean;
}> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  const c = await repo.forge.comment(
    repo.ref,
    input.number,
    {
      body: input.body,
      idempotencyKey: ctx.idempotencyKey,
      ...(input.progress ? { progressKey: `progress:${ctx.job.runId}` } : {}),
    },
    ctx.signal,
  );
  await ctx.log(`${c.created ? 'posted' : 'updated'} comment ${c.url}`);
  return { id: c.id, url: c.url, created: String(c.created) };
};
