import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { StepRecord } from '../../domain/records.ts';
import { isTerminalStep } from '../../domain/stepStatus.ts';
import { findStep } from '../../engine/systems/findStep.ts';
import type { ApiDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { access } from '../auth/accessRule.ts';
import { runIdParam, stepKeyParam } from '../schemas/common.ts';

const FOLLOW_POLL_MS = 100;
const FOLLOW_PAGE = 200;

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

const booleanParam = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/**
 * An agent step's transcript: the normalized events (format v1) of one attempt (default: the
 * latest), after `after_seq`, at most `limit`; continue with `next_after_seq`. The readable
 * rendering is in the step's logs. `follow=true` streams NDJSON (`application/x-ndjson`, chunked)
 * instead: a line `{"attempt":n,"event":{…}}` per event as it is stored, from `attempt` (default:
 * the latest, at least 1) after `after_seq`, on across retried attempts, until the step is
 * finished; a final line `{"end":true,…}` says how it ended. It stops when the client disconnects
 * or the server shuts down (`limit` does not apply).
 */
export async function transcriptRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { store } = deps;
  r.get(
    '/runs/:id/steps/:step/transcript',
    {
      config: { access: access.resource('runs.read', 'run') },
      schema: {
        tags: ['agents'],
        summary:
          "An agent step's transcript events (one attempt, paged by seq; follow=true streams NDJSON until the step ends)",
        params: z.object({ id: runIdParam, step: stepKeyParam }),
        querystring: z.object({
          attempt: z.coerce.number().int().min(1).optional(),
          after_seq: z.coerce.number().int().min(-1).default(-1),
          limit: z.coerce.number().int().min(1).max(1000).default(500),
          follow: booleanParam,
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
    async (req, reply) => {
      const { attempt, after_seq, limit, follow: following } = req.query;
      const id = await deps.engine.resolveRunId(req.params.id);
      if (following) {
        const step = await findStep(store, id, req.params.step);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'application/x-ndjson; charset=utf-8',
          'cache-control': 'no-store',
          'x-request-id': req.id,
          'x-content-type-options': 'nosniff',
        });
        // the status line now, not with the first event: a client sees the stream open at once
        res.flushHeaders();
        const stop = new AbortController();
        const onClose = () => stop.abort();
        res.once('close', onClose);
        const signal = AbortSignal.any([stop.signal, deps.shutdown]);
        try {
          await follow(step, attempt ?? Math.max(1, step.attempt), after_seq, signal, async (line) => {
            // backpressure: a slow reader holds the loop, never an unbounded buffer
            if (!res.write(`${JSON.stringify(line)}\n`)) await once(res, 'drain', { signal });
          });
        } catch (e) {
          if (!signal.aborted) req.log.error({ err: (e as Error).message }, 'transcript follow failed');
        } finally {
          res.off('close', onClose);
          if (!res.writableEnded) res.end();
        }
        return reply;
      }
      const t = await deps.engine.readTranscript(id, req.params.step, attempt ?? null, after_seq, limit + 1);
      const page = t.events.slice(0, limit);
      return {
        attempt: t.attempt,
        items: page.map((e) => e.event as z.infer<typeof eventSchema>),
        next_after_seq: t.events.length > limit ? (page.at(-1)?.seq ?? null) : null,
      };
    },
  );

  async function follow(
    step: StepRecord,
    firstAttempt: number,
    afterSeq: number,
    signal: AbortSignal,
    write: (line: unknown) => Promise<void>,
  ): Promise<void> {
    let attempt = firstAttempt;
    let after = afterSeq;
    for (;;) {
      if (signal.aborted) return;
      // read the status before the events: once terminal, what we read next is everything (the
      // executor stores an attempt's transcript before the attempt finishes)
      const current = (await store.getStep(step.id)) ?? step;
      const events = await store.readAgentEvents(step.id, attempt, after, FOLLOW_PAGE);
      for (const e of events) await write({ attempt, event: e.event });
      const last = events.at(-1);
      if (last) after = last.seq;
      if (events.length === FOLLOW_PAGE) continue;
      if (current.attempt > attempt) {
        attempt += 1;
        after = -1;
        continue;
      }
      if (isTerminalStep(current.status)) {
        await write({ end: true, status: current.status, outcome: current.outcome, attempt });
        return;
      }
      try {
        await sleep(FOLLOW_POLL_MS, undefined, { signal });
      } catch {
        return;
      }
    }
  }
}
