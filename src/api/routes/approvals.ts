import { readableWorkspaces } from '../../domain/access/authorize.ts';
import { access } from '../auth/accessRule.ts';
import { actorOf, principalOf } from '../auth/principalOf.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../apiDeps.ts';
import { decodeCursor, encodeCursor } from '../app/cursor.ts';
import { problemResponses } from '../app/problem.ts';
import { cursorParam, limitParam, pageOf, runIdParam, stepKeyParam } from '../schemas/common.ts';
import { runOut, runSchema, waitOut, waitSchema } from '../schemas/resources.ts';

const approvalCursor = z.object({ c: z.number(), i: z.string() });

const approvalItem = waitSchema.extend({
  step: z.string().nullable().describe('the step id in the workflow'),
  workflow: z.string().nullable(),
});

/**
 * Approvals: the inbox and the decisions. The deciding actor is the `X-Baton-Actor` header (or `api`)
 * until API tokens exist; then it is the token's user.
 */
export async function approvalRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { engine, store } = deps;

  r.get(
    '/approvals',
    {
      config: { access: access.any('approvals.read') },
      schema: {
        tags: ['approvals'],
        summary: 'Pending approvals, newest first',
        querystring: z.object({ cursor: cursorParam, limit: limitParam }),
        response: { 200: pageOf(approvalItem), ...problemResponses(400) },
      },
    },
    async (req) => {
      const { cursor, limit } = req.query;
      const before = cursor ? decodeCursor(cursor, approvalCursor) : null;
      const rows = await store.listPendingApprovalsPage(
        before ? { createdAt: before.c, id: before.i } : null,
        limit + 1,
        readableWorkspaces(principalOf(req)),
      );
      const page = rows.slice(0, limit);
      const items = await Promise.all(
        page.map(async (w) => {
          const [step, run] = await Promise.all([store.getStep(w.stepId), store.getRun(w.runId)]);
          return { ...waitOut(w), step: step?.stepKey ?? null, workflow: run?.workflowName ?? null };
        }),
      );
      const last = page.at(-1);
      return {
        items,
        next_cursor: rows.length > limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null,
      };
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    r.post(
      `/runs/:id/steps/:step/${decision}`,
      {
        config: { access: access.resource('approvals.decide', 'run') },
        schema: {
          tags: ['approvals'],
          summary: `${decision === 'approve' ? 'Approve' : 'Reject'} a pending approval step`,
          params: z.object({ id: runIdParam, step: stepKeyParam }),
          body: z.object({ comment: z.string().max(10_000).optional() }).optional(),
          response: { 200: runSchema, ...problemResponses(400, 404, 409) },
        },
      },
      async (req) => {
        const id = await engine.resolveRunId(req.params.id);
        const d = {
          by: actorOf(req),
          ...(req.body?.comment === undefined ? {} : { comment: req.body.comment }),
        };
        const run =
          decision === 'approve'
            ? await engine.approve(id, req.params.step, d)
            : await engine.reject(id, req.params.step, d);
        return runOut(run);
      },
    );
  }
}
