import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BatonError } from '../../domain/errors.ts';
import { receiveGithubDelivery } from '../../forges/github/webhooks/receiveGithubDelivery.ts';
import { GITHUB_ROUTED_EVENTS } from '../../forges/github/webhooks/routeGithubEvent.ts';
import { carryOutFollowup } from '../../forges/github/webhooks/carryOutFollowup.ts';
import { staticWebhookSecrets } from '../../forges/github/webhooks/webhookSecrets.ts';
import type { RouteDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { access } from '../auth/accessRule.ts';
import { answer, markHandled, rawBodyOf, rawWebhookScope, receiptSchema } from './rawWebhookScope.ts';

/** GitHub caps webhook payloads at 25 MB: none it sends is refused for its size. */
const MAX_BODY = 25 * 1024 * 1024;

/**
 * `POST /webhooks/github`: GitHub's webhook deliveries (a repository's or a GitHub App's). Verified
 * on the raw body (`X-Hub-Signature-256`), recorded, deduplicated by `X-GitHub-Delivery`, and
 * turned into an external event `github.<event>[.<action>]` in the workspace of the repository
 * registered in Baton (the default workspace otherwise) — all before answering, well within
 * GitHub's 10 s; event triggers start the workflows right after.
 */
export async function githubWebhookRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  rawWebhookScope(app, deps, 'github', MAX_BODY);
  const secrets = deps.githubWebhookSecrets ?? staticWebhookSecrets(deps.config.githubWebhookSecret);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/webhooks/github',
    {
      config: { access: access.public('webhooks.github') },
      schema: {
        tags: ['webhooks'],
        summary: "GitHub's webhook deliveries (signed with the configured secret)",
        description: [
          'Headers: `X-Hub-Signature-256` (HMAC-SHA256 of the raw body), `X-GitHub-Event`, `X-GitHub-Delivery`.',
          'A verified delivery becomes one external event `github.<event>` or `github.<event>.<action>`',
          '(e.g. `github.issues.labeled`, `github.push`) whose payload is the webhook payload plus `delivery`,',
          'in the workspace that registered `repository.full_name` (else `default`); `ping` is recorded only;',
          'a `repository_dispatch` with action `orchestrator.status` is a status callback, `github.orchestrator.status`.',
          'A delivery id accepted before answers 200 `duplicate` and changes nothing (GitHub signs no timestamp:',
          'the delivery id is the replay protection). Refused deliveries are recorded with their reason.',
          `Events Baton's workflows use: ${GITHUB_ROUTED_EVENTS.join(', ')}; any other is routed the same way.`,
        ].join(' '),
        response: { 200: receiptSchema, 202: receiptSchema, ...problemResponses(400, 401, 404, 413) },
      },
    },
    async (req, reply) => {
      const list = secrets.secrets();
      if (list.length === 0) {
        markHandled(req);
        throw new BatonError('not_found', 'GitHub webhooks are not enabled on this server', {
          hint: 'set BATON_GITHUB_WEBHOOK_SECRET to the secret of the GitHub webhook',
        });
      }
      const outcome = await receiveGithubDelivery(
        { store: deps.store, secrets: list, now: Date.now() },
        { body: rawBodyOf(req), headers: req.headers },
      );
      if (outcome.status === 'accepted' && outcome.refused)
        deps.logger.warn({ reason: outcome.refused }, 'slash command refused');
      // a slash command, a mirrored issue's change: carried out now (the sweep takes over if we die)
      if (outcome.status === 'accepted' && outcome.followup)
        await carryOutFollowup(
          { store: deps.store, engine: deps.engine, logger: deps.logger },
          outcome.followup.id,
          outcome.followup.what,
        );
      return answer(req, reply, deps, outcome);
    },
  );
}
