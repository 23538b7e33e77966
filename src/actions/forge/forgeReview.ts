import { z } from 'zod';
import { BatonError } from '../../domain/errors.ts';
import type { InlineComment } from '../../forges/Forge.ts';
import type { ActionHandler } from '../ActionContext.ts';

const inlineComments = z.array(
  z.object({ path: z.string().min(1), line: z.coerce.number().int().positive(), body: z.string().min(1) }),
);

function parseComments(text: string | undefined): InlineComment[] {
  if (text === undefined || text.trim() === '') return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BatonError('invalid_input', 'with.comments is not JSON: expected [{path, line, body}]', {
      field: 'with.comments',
    });
  }
  const r = inlineComments.safeParse(raw);
  if (!r.success)
    throw new BatonError(
      'invalid_input',
      `with.comments: expected [{path, line, body}] (${r.error.issues[0]?.message ?? ''})`,
      {
        field: 'with.comments',
      },
    );
  return r.data;
}

/** `forge/review`: a review verdict on a pull request (e.g. a reviewer agent's), with inline comments. */
export const forgeReview: ActionHandler<{
  repository: string;
  number: number;
  verdict: 'approve' | 'changes_requested' | 'comment';
  body?: string | undefined;
  comments?: string | undefined;
}> = async (input, ctx) => {
  const repo = await ctx.repos.resolve(ctx.job.uses.workspaceId, input.repository, ctx.signal);
  const review = await repo.forge.submitReview(
    repo.ref,
    input.number,
    {
      verdict: input.verdict,
      body: input.body ?? '',
      comments: parseComments(input.comments),
      idempotencyKey: ctx.idempotencyKey,
    },
    ctx.signal,
  );
  await ctx.log(`review ${review.verdict} on #${input.number} at ${review.commitSha.slice(0, 12)}`);
  return { id: review.id, verdict: review.verdict, commit: review.commitSha };
};
