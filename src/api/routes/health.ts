import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../apiDeps.ts';
import type { ApiMetrics } from '../app/metrics.ts';

const PING_TIMEOUT_MS = 2_000;

/** `/healthz` (the process answers), `/readyz` (database reachable and migrated), `/metrics`. */
export function healthRoutes(metrics: ApiMetrics) {
  return async function (app: FastifyInstance, deps: ApiDeps): Promise<void> {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/healthz',
      {
        schema: {
          tags: ['health'],
          summary: 'The process is alive',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );
    r.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'The database is reachable and migrated',
          response: {
            200: z.object({ status: z.literal('ok'), database: z.literal('ok') }),
            503: z.object({ status: z.literal('unavailable'), database: z.literal('unreachable') }),
          },
        },
      },
      async (_req, reply) => {
        const ok = await deps.store.ping(AbortSignal.timeout(PING_TIMEOUT_MS)).catch(() => false);
        if (ok) return { status: 'ok' as const, database: 'ok' as const };
        return reply.code(503).send({ status: 'unavailable' as const, database: 'unreachable' as const });
      },
    );
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
      const text = await metrics.render();
      return reply.header('content-type', metrics.registry.contentType).send(text);
    });
  };
}
