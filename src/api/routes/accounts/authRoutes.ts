import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issueToken } from '../../../accounts/issueToken.ts';
import { hashSecret } from '../../../accounts/tokenSecret.ts';
import { BatonError } from '../../../domain/errors.ts';
import type { RouteDeps } from '../../apiDeps.ts';
import { problemResponses } from '../../app/problem.ts';
import { access } from '../../auth/accessRule.ts';
import { principalOf } from '../../auth/principalOf.ts';
import { roleSchema, tokenOut, tokenSchema, userOut, userSchema } from '../../schemas/accounts.ts';
import { isoTime, toIso } from '../../schemas/common.ts';

/** How long a browser session started from a sign-in link lasts. */
export const SESSION_TTL_MS = 7 * 24 * 3600_000;

export const SIGN_IN_RATE_LIMIT = { max: 10, timeWindow: '1 minute' } as const;

/** Sign-in with a one-time code, and who am I. */
export async function authRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { accounts } = deps;

  r.post(
    '/auth/sign-in',
    {
      config: { access: access.public('auth.sign_in'), rateLimit: SIGN_IN_RATE_LIMIT },
      schema: {
        tags: ['accounts'],
        summary: 'Exchange a one-time sign-in code (printed by `baton serve`) for a session token',
        body: z.object({ code: z.string().min(16).max(200) }).strict(),
        response: {
          200: z.object({ token: z.string(), expires_at: isoTime, user: userSchema }),
          ...problemResponses(400, 401, 429),
        },
      },
    },
    async (req) => {
      const now = Date.now();
      const userId = await accounts.consumeSignInCode(hashSecret(req.body.code), now);
      const user = userId === undefined ? undefined : await accounts.getUser({ id: userId });
      if (!user || user.disabledAt !== null) {
        throw new BatonError('unauthenticated', 'the sign-in code is invalid, already used or expired', {
          field: 'code',
          hint: 'each link works once for 15 minutes: restart `baton serve` for a new one, or use an API token',
        });
      }
      const { secret, token } = await issueToken(
        accounts,
        {
          userId: user.id,
          name: `session from ${req.ip}`,
          kind: 'session',
          expiresAt: now + SESSION_TTL_MS,
          workspaceId: null,
          role: null,
        },
        now,
      );
      req.batonAuth.resourceType = 'user';
      req.batonAuth.resourceId = user.id;
      return { token: secret, expires_at: toIso(token.expiresAt!), user: userOut(user) };
    },
  );

  r.get(
    '/me',
    {
      config: { access: access.authenticated('me.read') },
      schema: {
        tags: ['accounts'],
        summary: 'The caller: user, token and role in each workspace',
        response: {
          200: z.object({
            user: userSchema,
            token: tokenSchema,
            instance_admin: z.boolean(),
            workspaces: z.array(z.object({ workspace: z.string(), role: roleSchema })),
          }),
          ...problemResponses(401),
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const [user, token] = await Promise.all([
        accounts.getUser({ id: p.userId }),
        accounts.getToken({ id: p.tokenId }),
      ]);
      if (!user || !token) throw new BatonError('unauthenticated', 'this token no longer exists');
      return {
        user: userOut(user),
        token: tokenOut(token),
        instance_admin: p.instanceAdmin,
        workspaces: [...p.roles].map(([workspace, role]) => ({ workspace, role })),
      };
    },
  );
}
