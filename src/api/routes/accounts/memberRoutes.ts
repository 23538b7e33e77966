import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountsStore } from '../../../accounts/accountsStore.ts';
import { BatonError } from '../../../domain/errors.ts';
import type { RouteDeps } from '../../apiDeps.ts';
import { decodeCursor, toPage } from '../../app/cursor.ts';
import { problemResponses } from '../../app/problem.ts';
import { access } from '../../auth/accessRule.ts';
import {
  loginSchema,
  memberOut,
  memberSchema,
  roleSchema,
  workspaceIdSchema,
} from '../../schemas/accounts.ts';
import { cursorParam, limitParam, pageOf } from '../../schemas/common.ts';
import { fromWorkspaceParam } from './workspaceRoutes.ts';

const cursorShape = z.object({ l: z.string() });

/** Refuses to leave a workspace without an admin. */
async function assertKeepsAnAdmin(tx: AccountsStore, workspace: string, userId: string): Promise<void> {
  const members = await tx.listMembers(workspace, undefined, 10_000);
  const admins = members.filter((m) => m.member.role === 'admin' && m.user.disabledAt === null);
  if (admins.length === 1 && admins[0]!.user.id === userId) {
    throw new BatonError('conflict', `this is the last admin of workspace "${workspace}"`, {
      field: 'role',
      hint: 'make another member admin first',
    });
  }
}

/** A workspace's members and their roles. */
export async function memberRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { accounts, authenticator } = deps;
  const params = z.object({ workspace: workspaceIdSchema, login: loginSchema });

  async function userNamed(tx: AccountsStore, login: string) {
    const u = await tx.getUser({ login });
    if (!u) throw new BatonError('not_found', `user "${login}" does not exist`, { field: 'login' });
    return u;
  }

  r.get(
    '/workspaces/:workspace/members',
    {
      config: { access: access.workspace('members.read', fromWorkspaceParam) },
      schema: {
        tags: ['accounts'],
        summary: "A workspace's members, by login",
        params: z.object({ workspace: workspaceIdSchema }),
        querystring: z.object({ cursor: cursorParam, limit: limitParam }),
        response: { 200: pageOf(memberSchema), ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { cursor, limit } = req.query;
      const after = cursor ? decodeCursor(cursor, cursorShape).l : undefined;
      const rows = await accounts.listMembers(req.params.workspace, after, limit + 1);
      return toPage(
        rows,
        limit,
        (m) => memberOut(m.member, m.user),
        (l) => ({ l: l.user.login }),
      );
    },
  );

  r.put(
    '/workspaces/:workspace/members/:login',
    {
      config: { access: access.workspace('members.write', fromWorkspaceParam) },
      schema: {
        tags: ['accounts'],
        summary: 'Add a member or change their role',
        params,
        body: z.object({ role: roleSchema }).strict(),
        response: { 200: memberSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const { workspace, login } = req.params;
      const now = Date.now();
      const out = await accounts.transaction(async (tx) => {
        if (!(await tx.getWorkspace(workspace))) {
          throw new BatonError('not_found', `workspace "${workspace}" does not exist`, {
            field: 'workspace',
          });
        }
        const user = await userNamed(tx, login);
        if (req.body.role !== 'admin') await assertKeepsAnAdmin(tx, workspace, user.id);
        const member = {
          workspaceId: workspace,
          userId: user.id,
          role: req.body.role,
          createdAt: now,
          updatedAt: now,
        };
        await tx.upsertMember(member);
        return memberOut(member, user);
      });
      authenticator.invalidate();
      req.batonAuth.resourceType = 'member';
      req.batonAuth.resourceId = login;
      return out;
    },
  );

  r.delete(
    '/workspaces/:workspace/members/:login',
    {
      config: { access: access.workspace('members.write', fromWorkspaceParam) },
      schema: {
        tags: ['accounts'],
        summary: 'Remove a member',
        params,
        response: { 204: z.null(), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { workspace, login } = req.params;
      await accounts.transaction(async (tx) => {
        const user = await userNamed(tx, login);
        await assertKeepsAnAdmin(tx, workspace, user.id);
        if (!(await tx.deleteMember(workspace, user.id))) {
          throw new BatonError('not_found', `"${login}" is not a member of "${workspace}"`, {
            field: 'login',
          });
        }
      });
      authenticator.invalidate();
      req.batonAuth.resourceType = 'member';
      req.batonAuth.resourceId = login;
      return reply.code(204).send(null);
    },
  );
}
