import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readableWorkspaces } from '../../../domain/access/authorize.ts';
import { BatonError } from '../../../domain/errors.ts';
import type { RouteDeps } from '../../apiDeps.ts';
import { decodeCursor, toPage } from '../../app/cursor.ts';
import { problemResponses } from '../../app/problem.ts';
import { access, fieldOf } from '../../auth/accessRule.ts';
import { principalOf } from '../../auth/principalOf.ts';
import { workspaceIdSchema, workspaceOut, workspaceSchema } from '../../schemas/accounts.ts';
import { cursorParam, limitParam, pageOf } from '../../schemas/common.ts';

const cursorShape = z.object({ w: z.string() });
const nameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');
export const fromWorkspaceParam = (req: { params: unknown }) => fieldOf(req.params, 'workspace');

/** Workspaces: those the caller can read; instance administrators create them. */
export async function workspaceRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { accounts, authenticator } = deps;
  const params = z.object({ workspace: workspaceIdSchema });

  r.get(
    '/workspaces',
    {
      config: { access: access.authenticated('workspaces.read') },
      schema: {
        tags: ['accounts'],
        summary: 'Workspaces the caller belongs to (instance administrators: all), by id',
        querystring: z.object({ cursor: cursorParam, limit: limitParam }),
        response: { 200: pageOf(workspaceSchema), ...problemResponses(400, 401) },
      },
    },
    async (req) => {
      const { cursor, limit } = req.query;
      const after = cursor ? decodeCursor(cursor, cursorShape).w : undefined;
      const rows = await accounts.listWorkspaces(readableWorkspaces(principalOf(req)), after, limit + 1);
      return toPage(rows, limit, workspaceOut, (l) => ({ w: l.id }));
    },
  );

  r.post(
    '/workspaces',
    {
      config: { access: access.instance('workspaces.create') },
      schema: {
        tags: ['accounts'],
        summary: 'Create a workspace (the caller becomes its admin)',
        body: z.object({ id: workspaceIdSchema, name: nameSchema }).strict(),
        response: { 201: workspaceSchema, ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const now = Date.now();
      const w = { id: req.body.id, name: req.body.name, createdAt: now, updatedAt: now };
      const created = await accounts.transaction(async (tx) => {
        if (!(await tx.insertWorkspace(w))) return false;
        await tx.upsertMember({
          workspaceId: w.id,
          userId: p.userId,
          role: 'admin',
          createdAt: now,
          updatedAt: now,
        });
        return true;
      });
      if (!created) throw new BatonError('conflict', `workspace "${w.id}" already exists`, { field: 'id' });
      authenticator.invalidate();
      req.batonAuth.workspace = w.id;
      req.batonAuth.resourceType = 'workspace';
      req.batonAuth.resourceId = w.id;
      return reply.code(201).send(workspaceOut(w));
    },
  );

  r.get(
    '/workspaces/:workspace',
    {
      config: { access: access.workspace('workspace.read', fromWorkspaceParam) },
      schema: {
        tags: ['accounts'],
        summary: 'A workspace',
        params,
        response: { 200: workspaceSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const w = await accounts.getWorkspace(req.params.workspace);
      if (!w)
        throw new BatonError('not_found', `workspace "${req.params.workspace}" does not exist`, {
          field: 'workspace',
        });
      return workspaceOut(w);
    },
  );

  r.patch(
    '/workspaces/:workspace',
    {
      config: { access: access.workspace('workspace.write', fromWorkspaceParam) },
      schema: {
        tags: ['accounts'],
        summary: 'Rename a workspace (its id never changes)',
        params,
        body: z.object({ name: nameSchema }).strict(),
        response: { 200: workspaceSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      if (!(await accounts.updateWorkspace(req.params.workspace, req.body.name, Date.now()))) {
        throw new BatonError('not_found', `workspace "${req.params.workspace}" does not exist`, {
          field: 'workspace',
        });
      }
      return workspaceOut((await accounts.getWorkspace(req.params.workspace))!);
    },
  );
}
