import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BatonError } from '../../domain/errors.ts';
import { receiveGithubDelivery } from '../../forges/github/webhooks/receiveGithubDelivery.ts';
import { GITHUB_ROUTED_EVENTS } from '../../forges/github/webhooks/routeGithubEvent.ts';
import { applyIssueSync } from '../../forges/github/webhooks/applyIssueSync.ts';
import { applySlashCommand } from '../../forges/github/webhooks/applySlashCommand.ts';
import { parseIssueSync } from '../../forges/github/webhooks/issueSyncCommand.ts';
import { parseSlashCommand } from '../../forges/github/webhooks/slashCommand.ts';
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
      if (outcome.status === 'accepted' && req.headers['x-github-event'] === 'issue_comment')
        await runSlashCommand(deps, rawBodyOf(req));
      if (outcome.status === 'accepted' && req.headers['x-github-event'] === 'issues')
        await runIssueSync(deps, rawBodyOf(req));
      return answer(req, reply, deps, outcome);
    },
  );
}

/** A verified, first-seen `issues` delivery of a mirrored issue, applied to its Baton issue (logged, never fatal). */
async function runIssueSync(deps: RouteDeps, raw: Buffer): Promise<void> {
  const payload = parseObject(raw);
  if (payload === null) return;
  const parsed = parseIssueSync(payload);
  if (parsed.kind === 'none') return;
  const workspaces = (repository: string) => deps.store.listRepositoryWorkspaces(repository);
  try {
    deps.logger.info(
      { sync: parsed.command, done: await applyIssueSync(deps.engine, workspaces, parsed.command) },
      'github issue sync',
    );
  } catch (e) {
    deps.logger.warn(
      { sync: parsed.command, err: e instanceof Error ? e.message : String(e) },
      'github issue sync refused',
    );
  }
}

function parseObject(raw: Buffer): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A verified, first-seen comment's slash command, carried out as its author (logged, never fatal). */
async function runSlashCommand(deps: RouteDeps, raw: Buffer): Promise<void> {
  const payload = parseObject(raw);
  if (payload === null) return;
  const parsed = parseSlashCommand(payload);
  if (parsed.kind === 'none') return;
  if (parsed.kind === 'refused') {
    deps.logger.warn({ reason: parsed.reason }, 'slash command refused');
    return;
  }
  try {
    deps.logger.info(
      { command: parsed.command, done: await applySlashCommand(deps.engine, parsed.command) },
      'slash command',
    );
  } catch (e) {
    deps.logger.warn(
      { command: parsed.command, err: e instanceof Error ? e.message : String(e) },
      'slash command failed',
    );
  }
}
