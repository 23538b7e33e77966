import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import pino from 'pino';
import { isBatonError, toErrorRecord } from '../../domain/errors.ts';
import type { User } from '../../accounts/accountTypes.ts';
import type { AccountsStore } from '../../accounts/accountsStore.ts';
import { createAuthenticator } from '../../accounts/authenticator.ts';
import { bootstrapAccounts } from '../../accounts/bootstrapAccounts.ts';
import { openAccountsStore } from '../../accounts/openAccountsStore.ts';
import { BatonError } from '../../domain/errors.ts';
import type { ApiDeps, RouteDeps } from '../apiDeps.ts';
import { installAuth } from '../auth/installAuth.ts';
import { auditRoutes } from '../routes/accounts/auditRoutes.ts';
import { authRoutes } from '../routes/accounts/authRoutes.ts';
import { memberRoutes } from '../routes/accounts/memberRoutes.ts';
import { projectRoutes } from '../routes/accounts/projectRoutes.ts';
import { repositoryRoutes } from '../routes/accounts/repositoryRoutes.ts';
import { signInPage } from '../routes/accounts/signInPage.ts';
import { tokenRoutes } from '../routes/accounts/tokenRoutes.ts';
import { userRoutes } from '../routes/accounts/userRoutes.ts';
import { workspaceRoutes } from '../routes/accounts/workspaceRoutes.ts';
import { approvalRoutes } from '../routes/approvals.ts';
import { eventRoutes } from '../routes/events.ts';
import { healthRoutes } from '../routes/health.ts';
import { queueRoutes } from '../routes/queue.ts';
import { runLogRoutes } from '../routes/runLogs.ts';
import { roleRoutes } from '../routes/roleRoutes.ts';
import { agentUsageRoutes } from '../routes/agentUsageRoutes.ts';
import { cursorWebhookRoutes } from '../routes/cursorWebhookRoutes.ts';
import { githubAppCallbackRoutes, githubRepoRoutes } from '../routes/githubAppRoutes.ts';
import { githubWebhookRoutes } from '../routes/githubWebhookRoutes.ts';
import { securityWebhookRoutes } from '../routes/securityWebhookRoutes.ts';
import { runRoutes } from '../routes/runs.ts';
import { transcriptRoutes } from '../routes/transcriptRoutes.ts';
import { issueRoutes } from '../routes/issueRoutes.ts';
import { workflowRoutes } from '../routes/workflows.ts';
import { createApiMetrics, type ApiMetrics } from './metrics.ts';
import {
  makeProblem,
  PROBLEM_CONTENT_TYPE,
  statusForCode,
  type ApiErrorCode,
  type Problem,
} from './problem.ts';
import { requestIdFor } from './requestId.ts';

/** A route plugin: registered with the app's error handling, validation and OpenAPI publication. */
export type ApiPlugin = (app: FastifyInstance, deps: RouteDeps) => Promise<void>;

export interface CreateApiServerOptions {
  /** extra route plugins (live streams, the task ledger), registered at the root: they choose their paths */
  plugins?: ApiPlugin[];
}

export const API_PREFIX = '/api/v1';

const CORE_ROUTES: ApiPlugin[] = [
  authRoutes,
  tokenRoutes,
  workspaceRoutes,
  memberRoutes,
  userRoutes,
  projectRoutes,
  repositoryRoutes,
  githubRepoRoutes,
  auditRoutes,
  roleRoutes,
  workflowRoutes,
  runRoutes,
  runLogRoutes,
  transcriptRoutes,
  agentUsageRoutes,
  issueRoutes,
  approvalRoutes,
  queueRoutes,
  eventRoutes,
];

declare module 'fastify' {
  interface FastifyInstance {
    batonMetrics: ApiMetrics;
    /** accounts and access (tokens, sign-in codes) */
    batonAccounts: AccountsStore;
    /** the first instance administrator (the sign-in link signs in as this user) */
    batonOwner: User;
  }
}

/**
 * The Fastify app of the HTTP API: pino request logs with a request id (echoed in `X-Request-Id`),
 * zod schemas for validation, serialization and the OpenAPI 3.1 document (`/api/v1/openapi.json`,
 * browsable at `/api/v1/docs`), RFC 9457 problems from one error handler, health and metrics.
 * Every API route declares who may call it (`config.access`): bearer tokens, roles per workspace,
 * and an audit event for every mutating call (src/api/auth). `BATON_ADMIN_TOKEN` seeds an admin token.
 */
export async function createApiServer(
  deps: ApiDeps,
  opts: CreateApiServerOptions = {},
): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = pino(
    { level: deps.config.logLevel, base: { pid: process.pid } },
    pino.destination(2),
  );
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    genReqId: requestIdFor,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: 4 * 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = createApiMetrics(deps.store, () => Date.now());
  app.decorate('batonMetrics', metrics);

  const accounts =
    deps.accounts ??
    openAccountsStore({ databaseUrl: deps.config.databaseUrl, dataDir: deps.config.dataDir });
  if (!deps.accounts) app.addHook('onClose', async () => accounts.close());
  const authenticator = deps.authenticator ?? createAuthenticator({ accounts });
  const routeDeps: RouteDeps = { ...deps, accounts, authenticator };
  app.decorate('batonAccounts', accounts);
  app.decorate(
    'batonOwner',
    await bootstrapAccounts(accounts, { adminToken: deps.config.adminToken, now: Date.now() }),
  );
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new BatonError(
        'rate_limited',
        `too many requests: at most ${ctx.max} per ${ctx.after === '1 minute' ? 'minute' : ctx.after}`,
        {
          retryable: true,
          hint: `retry after ${ctx.after}`,
        },
      ),
  });
  installAuth(app, { accounts, authenticator, logger: deps.logger, now: () => Date.now() });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((err: FastifyError, req, reply) => sendProblem(req, reply, problemFor(err, req)));
  app.setNotFoundHandler((req, reply) =>
    sendProblem(
      req,
      reply,
      makeProblem({
        status: 404,
        code: 'not_found',
        detail: `no route for ${req.method} ${req.url.split('?')[0]}`,
        hint: `the API lives under ${API_PREFIX}; its routes are listed at ${API_PREFIX}/openapi.json`,
        instance: instanceOf(req),
        requestId: req.id,
      }),
    ),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Baton API',
        version: '1.0.0',
        description:
          'Durable workflow orchestration. Errors are RFC 9457 problems (application/problem+json). ' +
          'Lists are keyset-paginated with opaque cursors. Authenticate with `Authorization: Bearer <token>` ' +
          '(API tokens, roles admin/maintainer/member/viewer per workspace).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'a Baton API token (baton_pat_…)' },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: `${API_PREFIX}/docs` });

  await app.register(async (scope) => healthRoutes(metrics)(scope, routeDeps));
  await app.register(async (scope) => signInPage(scope));
  await app.register(async (scope) => cursorWebhookRoutes(scope, routeDeps));
  await app.register(async (scope) => githubWebhookRoutes(scope, routeDeps));
  await app.register(async (scope) => securityWebhookRoutes(scope, routeDeps));
  await app.register(async (scope) => githubAppCallbackRoutes(scope, routeDeps));
  await app.register(
    async (scope) => {
      scope.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      for (const plugin of CORE_ROUTES) await scope.register(async (s) => plugin(s, routeDeps));
    },
    { prefix: API_PREFIX },
  );
  for (const plugin of opts.plugins ?? []) await app.register(async (scope) => plugin(scope, routeDeps));
  await app.ready();
  return app;
}

function instanceOf(req: FastifyRequest): string {
  return req.url.split('?')[0] ?? req.url;
}

function sendProblem(req: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  // RFC 6750: a 401 names the scheme the client should use
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="baton"');
  return reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

/** Every error of every route becomes one problem document here (and nowhere else). */
function problemFor(err: FastifyError, req: FastifyRequest): Problem {
  const base = { instance: instanceOf(req), requestId: req.id };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const first = err.validation[0];
    const path = first ? (first.instancePath || '').replace(/^\//, '').split('/').filter(Boolean) : [];
    const where = err.validationContext ?? 'request';
    const field = path.length
      ? path
          .map((p) => (/^\d+$/.test(p) ? `[${p}]` : p))
          .join('.')
          .replace(/\.\[/g, '[')
      : where;
    return makeProblem({
      ...base,
      status: 400,
      code: 'invalid_input',
      field,
      detail: `${where}${path.length ? ` ${field}` : ''}: ${first?.message ?? 'invalid'}`,
      hint: 'the request schemas are published at /api/v1/openapi.json',
    });
  }
  if (isResponseSerializationError(err)) {
    req.log.error({ err: err.cause.message }, 'response does not match its schema');
    return makeProblem({ ...base, status: 500, code: 'internal', detail: 'internal error' });
  }
  if (isBatonError(err)) {
    const status = statusForCode(err.code);
    if (status >= 500) {
      req.log.error({ err: toErrorRecord(err) }, 'request failed');
      const unavailable = err.code === 'database_unavailable';
      return makeProblem({
        ...base,
        status,
        code: unavailable ? 'database_unavailable' : 'internal',
        detail: unavailable ? 'the database is unavailable' : 'internal error',
        ...(unavailable ? { hint: 'retry later' } : {}),
      });
    }
    const issues = err.details?.['errors'];
    return makeProblem({
      ...base,
      status,
      code: err.code,
      detail: err.message,
      field: err.field,
      hint: err.hint,
      ...(Array.isArray(issues) ? { errors: issues as Problem['errors'] } : {}),
    });
  }
  // Fastify's own client errors (malformed JSON, media type, body size): keep their status
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code: ApiErrorCode =
      status === 404
        ? 'not_found'
        : status === 405
          ? 'method_not_allowed'
          : status === 413
            ? 'payload_too_large'
            : status === 415
              ? 'unsupported_media_type'
              : 'invalid_input';
    return makeProblem({ ...base, status, code, detail: err.message });
  }
  req.log.error({ err: { message: err.message, stack: err.stack } }, 'request failed');
  return makeProblem({ ...base, status: 500, code: 'internal', detail: 'internal error' });
}
