import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BatonError } from '../../domain/errors.ts';
import type { WebhookSource } from '../../engine/ports/store.ts';
import { headerValue, recordable } from '../../forges/github/webhooks/headerValue.ts';
import type { WebhookOutcome, WebhookReceipt } from '../../forges/github/webhooks/webhookOutcome.ts';
import type { RouteDeps } from '../apiDeps.ts';

/** What a verified delivery is answered (GitHub counts any 2xx as delivered: a duplicate too). */
export const receiptSchema = z.object({
  status: z.enum(['accepted', 'duplicate']).describe('duplicate: this delivery id was accepted before'),
  delivery: z.string(),
  type: z.string().nullable().describe('the Baton event type it was routed to (null: recorded only)'),
  event_ids: z.array(z.number().int()).describe('the external events written (none for a duplicate)'),
});

/** Requests whose outcome the handler recorded (the others are recorded by the `onError` hook). */
const recorded = new WeakSet<FastifyRequest>();

/**
 * Prepares an encapsulated scope for signed webhooks: the body stays raw bytes (the signature
 * covers them: nothing parses them before the check), up to `maxBody`; a request refused before
 * its handler runs (too large, shorter than its Content-Length) is still recorded as rejected.
 */
export function rawWebhookScope(
  app: FastifyInstance,
  deps: RouteDeps,
  source: WebhookSource,
  maxBody: number,
): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBody }, (_req, body, done) => {
    done(null, body);
  });
  app.addHook('onError', async (req, _reply, err) => {
    const status = (err as { statusCode?: unknown }).statusCode;
    if (recorded.has(req) || typeof status !== 'number' || status < 400 || status >= 500) return;
    const id = headerValue(req.headers, source === 'github' ? 'x-github-delivery' : 'x-baton-delivery');
    await deps.store
      .insertWebhookDelivery({
        source,
        deliveryId: recordable(id),
        event: source === 'github' ? recordable(headerValue(req.headers, 'x-github-event')) : 'security',
        action: null,
        status: 'rejected',
        reason: `${status}: ${err.message}`,
        payloadHash: null,
        repository: null,
        installationId: null,
        eventIds: [],
        receivedAt: Date.now(),
      })
      .catch((e: unknown) =>
        deps.logger.error({ err: (e as Error).message }, 'webhook rejection not recorded'),
      );
  });
}

/** The raw body of a request of a `rawWebhookScope` (empty when it had none). */
export function rawBodyOf(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** Answers a recorded outcome: 202 accepted, 200 duplicate, a problem (400/401) for a refusal. */
export function answer(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  outcome: WebhookOutcome,
): FastifyReply {
  recorded.add(req);
  if (outcome.status === 'rejected') {
    deps.logger.warn({ reason: outcome.reason, url: req.url }, 'webhook delivery refused');
    throw new BatonError(outcome.httpStatus === 401 ? 'unauthenticated' : 'invalid_input', outcome.reason, {
      field: outcome.field,
    });
  }
  if (outcome.eventIds.length) deps.engine.pokeTriggers();
  return reply.code(outcome.status === 'accepted' ? 202 : 200).send(receiptOut(outcome));
}

function receiptOut(r: WebhookReceipt): z.infer<typeof receiptSchema> {
  return { status: r.status, delivery: r.deliveryId, type: r.type, event_ids: r.eventIds };
}

/** Marks a request as handled (its outcome recorded, or nothing to record: a disabled webhook). */
export function markHandled(req: FastifyRequest): void {
  recorded.add(req);
}
