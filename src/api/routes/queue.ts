import { access } from '../auth/accessRule.ts';
import { actorOf } from '../auth/principalOf.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RUN_STATUSES } from '../../domain/runStatus.ts';
import type { ApiDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { nullableTime, toIso } from '../schemas/common.ts';

const keyStatus = z.object({
  key: z.string(),
  limit: z.number().int().nullable().describe('the per-key override (null: the workflow default)'),
  queued: z.number().int(),
  running: z.number().int().describe('runs holding a slot: running or awaiting approval'),
  paused: z.number().int(),
});

const queueSchema = z.object({
  paused: z.boolean(),
  paused_reason: z.string().nullable(),
  max_concurrent: z.number().int().nullable(),
  stop_on_failure: z.boolean(),
  updated_at: nullableTime,
  running_steps: z.number().int().describe('steps holding a live lease'),
  queued_steps: z.number().int().describe('queued runnable steps (queue depth)'),
  runs: z.record(z.string(), z.number().int()).describe('runs by status'),
  keys: z.array(keyStatus),
});

/** The queue: status (running, queued, by concurrency key), settings, per-key limits. */
export async function queueRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { engine, store } = deps;

  async function status(): Promise<z.infer<typeof queueSchema>> {
    const [settings, leased, queued, byStatus, byKey, limits] = await Promise.all([
      engine.queueSettings(),
      store.countLeasedSteps(Date.now()),
      store.countQueuedSteps(),
      store.countRunsByStatus(),
      store.countRunsByKey(),
      store.listConcurrencyLimits(),
    ]);
    const runs: Record<string, number> = {};
    for (const s of RUN_STATUSES) runs[s] = 0;
    for (const c of byStatus) runs[c.status] = c.count;
    const keys = new Map<string, z.infer<typeof keyStatus>>();
    const entry = (key: string) => {
      let e = keys.get(key);
      if (!e) keys.set(key, (e = { key, limit: null, queued: 0, running: 0, paused: 0 }));
      return e;
    };
    for (const l of limits) entry(l.key).limit = l.limit;
    for (const c of byKey) {
      const e = entry(c.key);
      if (c.status === 'queued') e.queued += c.count;
      else if (c.status === 'paused') e.paused += c.count;
      else e.running += c.count;
    }
    return {
      paused: settings.paused,
      paused_reason: settings.pausedReason,
      max_concurrent: settings.maxConcurrent,
      stop_on_failure: settings.stopOnFailure,
      updated_at: settings.updatedAt ? toIso(settings.updatedAt) : null,
      running_steps: leased,
      queued_steps: queued,
      runs,
      keys: [...keys.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    };
  }

  r.get(
    '/queue',
    {
      config: { access: access.any('queue.read') },
      schema: {
        tags: ['queue'],
        summary: 'Queue status and settings (instance-wide)',
        response: { 200: queueSchema },
      },
    },
    async () => status(),
  );

  r.patch(
    '/queue',
    {
      config: { access: access.instance('queue.write') },
      schema: {
        tags: ['queue'],
        summary: 'Change queue settings (only the fields given; instance administrators)',
        body: z
          .object({
            paused: z.boolean().optional(),
            reason: z.string().max(2000).optional().describe('why the queue is paused'),
            max_concurrent: z.number().int().min(1).max(100_000).nullable().optional(),
            stop_on_failure: z.boolean().optional(),
          })
          .strict(),
        response: { 200: queueSchema, ...problemResponses(400) },
      },
    },
    async (req) => {
      const b = req.body;
      await engine.updateQueue(
        {
          ...(b.paused === undefined ? {} : { paused: b.paused }),
          ...(b.reason === undefined ? {} : { reason: b.reason }),
          ...(b.max_concurrent === undefined ? {} : { maxConcurrent: b.max_concurrent }),
          ...(b.stop_on_failure === undefined ? {} : { stopOnFailure: b.stop_on_failure }),
        },
        { by: actorOf(req) },
      );
      return status();
    },
  );

  r.put(
    '/queue/limits/:key',
    {
      config: { access: access.instance('queue.write') },
      schema: {
        tags: ['queue'],
        summary: 'Set (or clear with null) the concurrency limit of one key (instance administrators)',
        params: z.object({ key: z.string().min(1).max(500) }),
        body: z.object({ limit: z.number().int().min(1).max(100_000).nullable() }).strict(),
        response: {
          200: z.object({ key: z.string(), limit: z.number().int().nullable() }),
          ...problemResponses(400),
        },
      },
    },
    async (req) => {
      await engine.setKeyLimit(req.params.key, req.body.limit, { by: actorOf(req) });
      return { key: req.params.key, limit: req.body.limit };
    },
  );
}
