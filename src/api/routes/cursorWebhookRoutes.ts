import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { access } from '../auth/accessRule.ts';
import { BatonError } from '../../domain/errors.ts';

const MAX_BODY = 1024 * 1024;

/**
 * `POST /webhooks/cursor`: Cursor's signed `statusChange` deliveries for the agents Baton launched.
 * The `X-Webhook-Signature` HMAC is checked on the raw body before it is parsed; a verified delivery
 * ends the waiting agent step's poll at once (a lost one is caught by the slower status poll).
 */
export async function cursorWebhookRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  // the raw bytes are what the signature covers: no JSON parsing before the check
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY }, (_req, body, done) => {
    done(null, body);
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/webhooks/cursor',
    {
      config: { access: access.public('webhooks.cursor') },
      schema: {
        tags: ['agents'],
        summary: "Cursor cloud agents' status webhooks (signed with the configured secret)",
        response: {
          202: z.object({ agent_id: z.string(), status: z.string() }),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (req, reply) => {
      const hub = deps.cursorWebhook;
      if (!hub) {
        throw new BatonError('not_found', 'Cursor webhooks are not enabled on this server', {
          hint: 'set BATON_CURSOR_WEBHOOK_SECRET (32+ characters) and BATON_PUBLIC_URL',
        });
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const d = hub.deliver(body, req.headers['x-webhook-signature']);
      if (!d.ok) {
        deps.logger.warn({ reason: d.reason }, 'cursor webhook refused');
        throw new BatonError(d.httpStatus === 401 ? 'unauthenticated' : 'invalid_input', d.reason, {
          field: d.httpStatus === 401 ? 'X-Webhook-Signature' : 'body',
        });
      }
      return reply.code(202).send({ agent_id: d.agentId, status: d.status });
    },
  );
}
