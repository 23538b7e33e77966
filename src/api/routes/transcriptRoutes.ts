import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { access } from '../auth/accessRule.ts';
import { runIdParam, stepKeyParam } from '../schemas/common.ts';

const eventSchema = z
  .object({
    v: z.number().int(),
    seq: z.number().int(),
    at: z.number().describe('epoch milliseconds'),
    kind: z
      .string()
      .describe(
        'session, message, reasoning, tool_call, tool_result, file_change, command, plan, usage, rate_limited, error, status, result, unknown',
      ),
    raw: z.unknown().optional().describe('the CLI line it came from (secrets redacted)'),
  })
  .catchall(z.unknown());

/**
 * An agent step's transcript: the normalized events (format v1) of one attempt (default: the
 * latest), after `after_seq`, at most `limit`; continue with `next_after_seq`. The readable
 * rendering is in the step's logs.
 */
export async function transcriptRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/runs/:id/steps/:step/transcript',
    {
      config: { access: access.resource('runs.read', 'run') },
      schema: {
        tags: ['agents'],
        summary: "An agent step's transcript events (one attempt, paged by seq)",
        params: z.object({ id: runIdParam, step: stepKeyParam }),
        querystring: z.object({
          attempt: z.coerce.number().int().min(1).optional(),
          after_seq: z.coerce.number().int().min(-1).default(-1),
          limit: z.coerce.number().int().min(1).max(1000).default(500),
        }),
        response: {
          200: z.object({
            attempt: z.number().int(),
            items: z.array(eventSchema),
            next_after_seq: z
              .number()
              .int()
              .nullable()
              .describe('null when this page ended the stored events'),
          }),
          ...problemResponses(400, 404),
        },
      },
    },
    async (req) => {
      const { attempt, after_seq, limit } = req.query;
      const id = await deps.engine.resolveRunId(req.params.id);
      const t = await deps.engine.readTranscript(id, req.params.step, attempt ?? null, after_seq, limit + 1);
      const page = t.events.slice(0, limit);
      return {
        attempt: t.attempt,
        items: page.map((e) => e.event as z.infer<typeof eventSchema>),
        next_after_seq: t.events.length > limit ? (page.at(-1)?.seq ?? null) : null,
      };
    },
  );
}
