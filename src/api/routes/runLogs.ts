import { access } from '../auth/accessRule.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { LogChunkRecord, StepRecord } from '../../domain/records.ts';
import { isTerminalStep } from '../../domain/stepStatus.ts';
import { findStep } from '../../engine/systems/findStep.ts';
import type { ApiDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { runIdParam, stepKeyParam, toIso } from '../schemas/common.ts';
import { stepStatusSchema } from '../schemas/resources.ts';

const FOLLOW_POLL_MS = 100;
const FOLLOW_PAGE = 200;

const chunkSchema = z.object({
  attempt: z.number().int(),
  seq: z.number().int(),
  stream: z.enum(['stdout', 'stderr', 'system']),
  data: z.string().describe('the chunk: UTF-8 text, or base64 of the exact bytes with encoding=base64'),
  created_at: z.string(),
});

const booleanParam = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

function chunkOut(c: LogChunkRecord, encoding: 'text' | 'base64'): z.infer<typeof chunkSchema> {
  return {
    attempt: c.attempt,
    seq: c.seq,
    stream: c.stream,
    data: encoding === 'base64' ? c.data.toString('base64') : c.data.toString('utf8'),
    created_at: toIso(c.createdAt),
  };
}

/**
 * Step logs. Range reads: one attempt (default: the step's latest), chunks after `after_seq`, at most
 * `limit`; continue with `next_after_seq`. `encoding=text` (default) decodes each chunk as UTF-8 (a
 * character split across two chunks is replaced); `encoding=base64` returns the exact bytes.
 * `follow=true` streams NDJSON (`application/x-ndjson`, one chunk object a line, chunked) as output
 * arrives, across retried attempts, until the step is finished; a final line `{"end":true,…}` says
 * how it ended. It stops when the client disconnects or the server shuts down.
 */
export async function runLogRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { engine, store } = deps;

  r.get(
    '/runs/:id/steps/:step/logs',
    {
      config: { access: access.resource('runs.read', 'run') },
      schema: {
        tags: ['runs'],
        summary: "A step's output (range reads; follow=true streams NDJSON until the step ends)",
        params: z.object({ id: runIdParam, step: stepKeyParam }),
        querystring: z.object({
          attempt: z.coerce.number().int().min(1).max(1_000_000).optional(),
          after_seq: z.coerce.number().int().min(-1).max(Number.MAX_SAFE_INTEGER).default(-1),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          encoding: z.enum(['text', 'base64']).default('text'),
          follow: booleanParam,
        }),
        response: {
          200: z.object({
            step: z.string(),
            step_status: stepStatusSchema,
            attempt: z.number().int().describe('0 when the step has not started'),
            encoding: z.enum(['text', 'base64']),
            items: z.array(chunkSchema),
            next_after_seq: z.number().int(),
          }),
          ...problemResponses(400, 404),
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const runId = await engine.resolveRunId(req.params.id);
      const step = await findStep(store, runId, req.params.step);
      if (q.follow) {
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'application/x-ndjson; charset=utf-8',
          'cache-control': 'no-store',
          'x-request-id': req.id,
          'x-content-type-options': 'nosniff',
        });
        const stop = new AbortController();
        const onClose = () => stop.abort();
        res.once('close', onClose);
        const signal = AbortSignal.any([stop.signal, deps.shutdown]);
        try {
          await follow(
            step,
            q.attempt ?? Math.max(1, step.attempt),
            q.after_seq,
            q.encoding,
            signal,
            async (line) => {
              // backpressure: a slow reader holds the loop, never an unbounded buffer
              if (!res.write(`${JSON.stringify(line)}\n`)) await once(res, 'drain', { signal });
            },
          );
        } catch (e) {
          if (!signal.aborted) req.log.error({ err: (e as Error).message }, 'log follow failed');
        } finally {
          res.off('close', onClose);
          if (!res.writableEnded) res.end();
        }
        return reply;
      }
      const attempt = q.attempt ?? step.attempt;
      const chunks = attempt > 0 ? await store.readLogs(step.id, attempt, q.after_seq, q.limit) : [];
      return {
        step: step.stepKey,
        step_status: step.status,
        attempt,
        encoding: q.encoding,
        items: chunks.map((c) => chunkOut(c, q.encoding)),
        next_after_seq: chunks.at(-1)?.seq ?? q.after_seq,
      };
    },
  );

  async function follow(
    step: StepRecord,
    firstAttempt: number,
    afterSeq: number,
    encoding: 'text' | 'base64',
    signal: AbortSignal,
    write: (line: unknown) => Promise<void>,
  ): Promise<void> {
    let attempt = firstAttempt;
    let after = afterSeq;
    for (;;) {
      if (signal.aborted) return;
      // read the status before the chunks: once terminal, what we read next is everything
      const current = (await store.getStep(step.id)) ?? step;
      const chunks = await store.readLogs(step.id, attempt, after, FOLLOW_PAGE);
      for (const c of chunks) await write(chunkOut(c, encoding));
      const last = chunks.at(-1);
      if (last) after = last.seq;
      if (chunks.length === FOLLOW_PAGE) continue;
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
