import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Project } from '../../../accounts/accountTypes.ts';
import { uuidv7 } from '../../../domain/ids.ts';
import { BatonError } from '../../../domain/errors.ts';
import type { RouteDeps } from '../../apiDeps.ts';
import { decodeCursor, toPage } from '../../app/cursor.ts';
import { problemResponses } from '../../app/problem.ts';
import { access } from '../../auth/accessRule.ts';
import {
  projectOut,
  projectSchema,
  slugSchema,
  uuidParam,
  workspaceIdSchema,
} from '../../schemas/accounts.ts';
import { cursorParam, limitParam, pageOf } from '../../schemas/common.ts';
import { fromWorkspaceParam } from './workspaceRoutes.ts';

const cursorShape = z.object({ s: z.string() });
const nameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');
const description = z.string().max(4000).nullable();

/** Projects group a workspace's repositories. */
export async function projectRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { accounts } = deps;
  const idParams = z.object({ id: uuidParam });

  async function get(id: string): Promise<Project> {
    const p = await accounts.getProject(id);
    if (!p) throw new BatonError('not_found', `project ${id} does not exist`, { field: 'id' });
    return p;
  }

  r.get(
    '/workspaces/:workspace/projects',
    {
      config: { access: access.workspace('projects.read', fromWorkspaceParam) },
      schema: {
        tags: ['projects'],
        summary: "A workspace's projects, by slug",
        params: z.object({ workspace: workspaceIdSchema }),
        querystring: z.object({ cursor: cursorParam, limit: limitParam }),
        response: { 200: pageOf(projectSchema), ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { cursor, limit } = req.query;
      const after = cursor ? decodeCursor(cursor, cursorShape).s : undefined;
      const rows = await accounts.listProjects(req.params.workspace, after, limit + 1);
      return toPage(rows, limit, projectOut, (l) => ({ s: l.slug }));
    },
  );

  r.post(
    '/workspaces/:workspace/projects',
    {
      config: { access: access.workspace('projects.write', fromWorkspaceParam) },
      schema: {
        tags: ['projects'],
        summary: 'Create a project',
        params: z.object({ workspace: workspaceIdSchema }),
        body: z.object({ slug: slugSchema, name: nameSchema, description: description.optional() }).strict(),
        response: { 201: projectSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const now = Date.now();
      if (!(await accounts.getWorkspace(req.params.workspace))) {
        throw new BatonError('not_found', `workspace "${req.params.workspace}" does not exist`, {
          field: 'workspace',
        });
      }
      const p: Project = {
        id: uuidv7(now),
        workspaceId: req.params.workspace,
        slug: req.body.slug,
        name: req.body.name,
        description: req.body.description ?? null,
        createdAt: now,
        updatedAt: now,
      };
      if (!(await accounts.insertProject(p))) {
        throw new BatonError('conflict', `project "${p.slug}" already exists in "${p.workspaceId}"`, {
          field: 'slug',
        });
      }
      req.batonAuth.resourceType = 'project';
      req.batonAuth.resourceId = p.id;
      return reply.code(201).header('location', `/api/v1/projects/${p.id}`).send(projectOut(p));
    },
  );

  r.get(
    '/projects/:id',
    {
      config: { access: access.resource('projects.read', 'project') },
      schema: {
        tags: ['projects'],
        summary: 'A project',
        params: idParams,
        response: { 200: projectSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => projectOut(await get(req.params.id)),
  );

  r.patch(
    '/projects/:id',
    {
      config: { access: access.resource('projects.write', 'project') },
      schema: {
        tags: ['projects'],
        summary: 'Rename or describe a project',
        params: idParams,
        body: z.object({ name: nameSchema.optional(), description: description.optional() }).strict(),
        response: { 200: projectSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      await get(req.params.id);
      const b = req.body;
      await accounts.updateProject(
        req.params.id,
        {
          ...(b.name === undefined ? {} : { name: b.name }),
          ...(b.description === undefined ? {} : { description: b.description }),
        },
        Date.now(),
      );
      return projectOut(await get(req.params.id));
    },
  );

  r.delete(
    '/projects/:id',
    {
      config: { access: access.resource('projects.write', 'project') },
      schema: {
        tags: ['projects'],
        summary: 'Delete a project (its repositories stay in the workspace)',
        params: idParams,
        response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const deleted = await accounts.transaction((tx) => tx.deleteProject(req.params.id, Date.now()));
      if (!deleted)
        throw new BatonError('not_found', `project ${req.params.id} does not exist`, { field: 'id' });
      return reply.code(204).send(null);
    },
  );
}
