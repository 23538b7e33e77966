import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issueToken } from '../../../accounts/issueToken.ts';
import { roleIn } from '../../../domain/access/authorize.ts';
import { weakerRole } from '../../../domain/access/roles.ts';
import { BatonError } from '../../../domain/errors.ts';
import type { RouteDeps } from '../../apiDeps.ts';
import { decodeCursor, toPage } from '../../app/cursor.ts';
import { problemResponses } from '../../app/problem.ts';
import { access } from '../../auth/accessRule.ts';
import { principalOf } from '../../auth/principalOf.ts';
import { loginSchema, newTokenBody, tokenOut, tokenSchema, uuidParam } from '../../schemas/accounts.ts';
import { cursorParam, limitParam, pageOf } from '../../schemas/common.ts';

const TOKEN_RATE_LIMIT = { max: 30, timeWindow: '1 minute' } as const;
const cursorShape = z.object({ i: z.string() });

/** API tokens: the caller's own (instance administrators: anyone's). */
export async function tokenRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { accounts, authenticator } = deps;

  async function userIdOf(login: string): Promise<string> {
    const u = await accounts.getUser({ login });
    if (!u) throw new BatonError('not_found', `user "${login}" does not exist`, { field: 'user' });
    return u.id;
  }

  r.get(
    '/tokens',
    {
      config: { access: access.authenticated('tokens.read'), rateLimit: TOKEN_RATE_LIMIT },
      schema: {
        tags: ['accounts'],
        summary: "The caller's API tokens, newest first (instance administrators: `user` or `all`)",
        querystring: z.object({
          user: loginSchema.optional(),
          all: z.enum(['true', 'false']).optional(),
          cursor: cursorParam,
          limit: limitParam,
        }),
        response: { 200: pageOf(tokenSchema), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { user, all, cursor, limit } = req.query;
      if ((user !== undefined || all === 'true') && !p.instanceAdmin) {
        throw new BatonError('forbidden', "listing other users' tokens needs an instance administrator", {
          field: user !== undefined ? 'user' : 'all',
        });
      }
      const userId = all === 'true' ? undefined : user !== undefined ? await userIdOf(user) : p.userId;
      const before = cursor ? decodeCursor(cursor, cursorShape).i : undefined;
      const rows = await accounts.listTokens(userId, before, limit + 1);
      return toPage(rows, limit, tokenOut, (l) => ({ i: l.id }));
    },
  );

  r.post(
    '/tokens',
    {
      config: { access: access.authenticated('tokens.create'), rateLimit: TOKEN_RATE_LIMIT },
      schema: {
        tags: ['accounts'],
        summary: 'Create an API token; its secret is in this response only',
        body: newTokenBody,
        response: {
          201: tokenSchema.extend({ secret: z.string().describe('shown once: store it now') }),
          ...problemResponses(400, 401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const b = req.body;
      if (b.user !== undefined && !p.instanceAdmin) {
        throw new BatonError(
          'forbidden',
          'creating a token for another user needs an instance administrator',
          {
            field: 'user',
          },
        );
      }
      const restrictedTo = await accounts.getToken({ id: p.tokenId });
      // a token cannot mint a wider one: keep the caller's own workspace and role restrictions
      if (
        restrictedTo?.workspaceId &&
        b.workspace !== undefined &&
        b.workspace !== restrictedTo.workspaceId
      ) {
        throw new BatonError(
          'forbidden',
          `this token is restricted to workspace "${restrictedTo.workspaceId}"`,
          {
            field: 'workspace',
          },
        );
      }
      const workspaceId = b.workspace ?? restrictedTo?.workspaceId ?? null;
      if (workspaceId !== null && b.user === undefined && roleIn(p, workspaceId) === undefined) {
        throw new BatonError('forbidden', `you are not a member of workspace "${workspaceId}"`, {
          field: 'workspace',
        });
      }
      const cap = restrictedTo?.role ?? null;
      const role = b.role === undefined ? cap : cap === null ? b.role : weakerRole(b.role, cap);
      const now = Date.now();
      const { token, secret } = await issueToken(
        accounts,
        {
          userId: b.user !== undefined ? await userIdOf(b.user) : p.userId,
          name: b.name,
          kind: 'personal',
          expiresAt: b.expires_in_days === null ? null : now + b.expires_in_days * 86_400_000,
          workspaceId,
          role,
        },
        now,
      );
      req.batonAuth.resourceType = 'token';
      req.batonAuth.resourceId = token.id;
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...tokenOut(token), secret });
    },
  );

  r.delete(
    '/tokens/:id',
    {
      config: { access: access.authenticated('tokens.revoke'), rateLimit: TOKEN_RATE_LIMIT },
      schema: {
        tags: ['accounts'],
        summary: "Revoke a token (yours; instance administrators: anyone's)",
        params: z.object({ id: uuidParam }),
        response: { 200: tokenSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const t = await accounts.getToken({ id: req.params.id });
      req.batonAuth.resourceType = 'token';
      req.batonAuth.resourceId = req.params.id;
      if (!t || (t.userId !== p.userId && !p.instanceAdmin)) {
        throw new BatonError('not_found', `token ${req.params.id} does not exist`, { field: 'id' });
      }
      if (!(await accounts.revokeToken(t.id, Date.now()))) {
        throw new BatonError('conflict', `token ${t.id} is already revoked`, { field: 'id' });
      }
      authenticator.invalidate();
      return tokenOut((await accounts.getToken({ id: t.id }))!);
    },
  );
}
