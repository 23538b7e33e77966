import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BatonError } from '../../domain/errors.ts';
import { receiveSecurityDelivery } from '../../forges/github/webhooks/receiveSecurityDelivery.ts';
import { staticWebhookSecrets } from '../../forges/github/webhooks/webhookSecrets.ts';
import type { RouteDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { access } from '../auth/accessRule.ts';
import { answer, markHandled, rawBodyOf, rawWebhookScope, receiptSchema } from './rawWebhookScope.ts';

const MAX_BODY = 1024 * 1024;

/**
 * `POST /webhooks/security`: findings of an external security scanner, signed over
 * `timestamp + "." + rawBody` and refused outside a 5-minute window; they become `security.findings`
 * events that event triggers can start workflows on.
 */
export async function securityWebhookRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  rawWebhookScope(app, deps, 'security', MAX_BODY);
  const secrets = deps.securityWebhookSecrets ?? staticWebhookSecrets(deps.config.securityWebhookSecret);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/webhooks/security',
    {
      config: { access: access.public('webhooks.security') },
      schema: {
        tags: ['webhooks'],
        summary: "An external security scanner's findings (signed with the configured secret)",
        description: [
          'Headers: `X-Baton-Timestamp` (unix seconds, within 5 minutes of the server clock either way),',
          '`X-Baton-Signature: sha256=<hex HMAC-SHA256 of timestamp + "." + raw body>`, and optionally',
          '`X-Baton-Delivery` (an id: a delivery id accepted before answers 200 `duplicate`; without it the',
          'signature is the id). Body: `{scanner?, findings: [{severity: critical|high|medium|low|info, title,',
          'repository: owner/name, id?, description?, rule?, cve?, cwe?, package?, version?, fixed_version?, path?,',
          'line?, ref?, commit?, url?}]}`. The findings become one `security.findings` event per workspace',
          'that registered their repositories (else `default`): `{delivery, scanner, findings, counts,',
          'max_severity, repositories}`.',
        ].join(' '),
        response: { 200: receiptSchema, 202: receiptSchema, ...problemResponses(400, 401, 404, 413) },
      },
    },
    async (req, reply) => {
      const list = secrets.secrets();
      if (list.length === 0) {
        markHandled(req);
        throw new BatonError('not_found', 'the security webhook is not enabled on this server', {
          hint: 'set BATON_SECURITY_WEBHOOK_SECRET (16+ characters) and sign deliveries with it',
        });
      }
      const outcome = await receiveSecurityDelivery(
        { store: deps.store, secrets: list, now: Date.now() },
        { body: rawBodyOf(req), headers: req.headers },
      );
      return answer(req, reply, deps, outcome);
    },
  );
}
