import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { User } from '../../../accounts/accountTypes.ts';
import { uuidv7 } from '../../../domain/ids.ts';
import { BatonError } from '../../../domain/errors.ts';
import type { RouteDeps } from '../../apiDeps.ts';
import { decodeCursor, toPage } from '../../app/cursor.ts';
import { problemResponses } from '../../app/problem.ts';
import { access } from '../../auth/accessRule.ts';
import { loginSchema, newUserBody, patchUserBody, userOut, userSchema } from '../../schemas/accounts.ts';
import { cursorParam, limitParam, pageOf } from '../../schemas/common.ts';

const cursorShape = z.object({ l: z.string() });

/** Users of the instance (instance administrators only). */
export async function userRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { accounts, authenticator } = deps;
  const params = z.object({ login: loginSchema });

  async function named(login: string): Promise<User> {
    const u = await accounts.getUser({ login });
    if (!u) throw new BatonError('not_found', `user "${login}" does not exist`, { field: 'login' });
    return u;
  }

  r.get(
    '/users',
    {
      config: { access: access.instance('users.read') },
      schema: {
        tags: ['accounts'],
        summary: 'Users, by login',
        querystring: z.object({ cursor: cursorParam, limit: limitParam }),
        response: { 200: pageOf(userSchema), ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { cursor, limit } = req.query;
      const after = cursor ? decodeCursor(cursor, cursorShape).l : undefined;
      const rows = await accounts.listUsers(after, limit + 1);
      return toPage(rows, limit, userOut, (l) => ({ l: l.login }));
    },
  );

  r.post(
    '/users',
    {
      config: { access: access.instance('users.write') },
      schema: {
        tags: ['accounts'],
        summary: 'Create a user (then add them to workspaces and create a token for them)',
        body: newUserBody,
        response: { 201: userSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const now = Date.now();
      const u: User = {
        id: uuidv7(now),
        login: req.body.login,
        name: req.body.name ?? null,
        email: req.body.email ?? null,
        isAdmin: req.body.admin,
        disabledAt: null,
        createdAt: now,
        updatedAt: now,
      };
      if (!(await accounts.insertUser(u))) {
        throw new BatonError('conflict', `user "${u.login}" already exists`, { field: 'login' });
      }
      req.batonAuth.resourceType = 'user';
      req.batonAuth.resourceId = u.id;
      return reply.code(201).send(userOut(u));
    },
  );

  r.get(
    '/users/:login',
    {
      config: { access: access.instance('users.read') },
      schema: {
        tags: ['accounts'],
        summary: 'A user',
        params,
        response: { 200: userSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => userOut(await named(req.params.login)),
  );

  r.patch(
    '/users/:login',
    {
      config: { access: access.instance('users.write') },
      schema: {
        tags: ['accounts'],
        summary: 'Change a user (disable: their tokens stop working)',
        params,
        body: patchUserBody,
        response: { 200: userSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const u = await named(req.params.login);
      const b = req.body;
      const now = Date.now();
      await accounts.updateUser(
        u.id,
        {
          ...(b.name === undefined ? {} : { name: b.name }),
          ...(b.email === undefined ? {} : { email: b.email }),
          ...(b.admin === undefined ? {} : { isAdmin: b.admin }),
          ...(b.disabled === undefined ? {} : { disabledAt: b.disabled ? (u.disabledAt ?? now) : null }),
        },
        now,
      );
      authenticator.invalidate();
      req.batonAuth.resourceType = 'user';
      req.batonAuth.resourceId = u.id;
      return userOut((await accounts.getUser({ id: u.id }))!);
    },
  );
}
