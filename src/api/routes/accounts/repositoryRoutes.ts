import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Repository } from '../../../accounts/accountTypes.ts';
import type { AccountsStore } from '../../../accounts/accountsStore.ts';
import { uuidv7 } from '../../../domain/ids.ts';
import { BatonError } from '../../../domain/errors.ts';
import type { RouteDeps } from '../../apiDeps.ts';
import { decodeCursor, toPage } from '../../app/cursor.ts';
import { problemResponses } from '../../app/problem.ts';
import { access } from '../../auth/accessRule.ts';
import {
  branchSchema,
  repoNameSchema,
  repoUrlSchema,
  repositoryOut,
  repositorySchema,
  uuidParam,
  workspaceIdSchema,
} from '../../schemas/accounts.ts';
import { cursorParam, limitParam, pageOf } from '../../schemas/common.ts';
import { fromWorkspaceParam } from './workspaceRoutes.ts';

const cursorShape = z.object({ n: z.string() });

/** A project given for a repository must be in the same workspace. */
async function assertProjectIn(
  accounts: AccountsStore,
  projectId: string | null | undefined,
  workspace: string,
) {
  if (projectId === null || projectId === undefined) return;
  const p = await accounts.getProject(projectId);
  if (!p || p.workspaceId !== workspace) {
    throw new BatonError('invalid_input', `project ${projectId} is not in workspace "${workspace}"`, {
      field: 'project_id',
    });
  }
}

/** The git repositories a workspace's runs work on. */
export async function repositoryRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { accounts } = deps;
  const idParams = z.object({ id: uuidParam });

  async function get(id: string): Promise<Repository> {
    const repo = await accounts.getRepository(id);
    if (!repo) throw new BatonError('not_found', `repository ${id} does not exist`, { field: 'id' });
    return repo;
  }

  r.get(
    '/workspaces/:workspace/repositories',
    {
      config: { access: access.workspace('repositories.read', fromWorkspaceParam) },
      schema: {
        tags: ['projects'],
        summary: "A workspace's repositories, by name (optionally one project's)",
        params: z.object({ workspace: workspaceIdSchema }),
        querystring: z.object({ project_id: uuidParam.optional(), cursor: cursorParam, limit: limitParam }),
        response: { 200: pageOf(repositorySchema), ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const { cursor, limit, project_id } = req.query;
      const after = cursor ? decodeCursor(cursor, cursorShape).n : undefined;
      const rows = await accounts.listRepositories({
        workspaceId: req.params.workspace,
        ...(project_id ? { projectId: project_id } : {}),
        ...(after === undefined ? {} : { afterName: after }),
        limit: limit + 1,
      });
      return toPage(rows, limit, repositoryOut, (l) => ({ n: l.name }));
    },
  );

  r.post(
    '/workspaces/:workspace/repositories',
    {
      config: { access: access.workspace('repositories.write', fromWorkspaceParam) },
      schema: {
        tags: ['projects'],
        summary: 'Register a repository',
        params: z.object({ workspace: workspaceIdSchema }),
        body: z
          .object({
            name: repoNameSchema,
            url: repoUrlSchema,
            default_branch: branchSchema.default('main'),
            project_id: uuidParam.nullable().optional(),
          })
          .strict(),
        response: { 201: repositorySchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const ws = req.params.workspace;
      if (!(await accounts.getWorkspace(ws))) {
        throw new BatonError('not_found', `workspace "${ws}" does not exist`, { field: 'workspace' });
      }
      await assertProjectIn(accounts, req.body.project_id, ws);
      const now = Date.now();
      const repo: Repository = {
        id: uuidv7(now),
        workspaceId: ws,
        projectId: req.body.project_id ?? null,
        name: req.body.name,
        url: req.body.url,
        defaultBranch: req.body.default_branch,
        createdAt: now,
        updatedAt: now,
      };
      if (!(await accounts.insertRepository(repo))) {
        throw new BatonError('conflict', `repository "${repo.name}" is already registered in "${ws}"`, {
          field: 'name',
        });
      }
      req.batonAuth.resourceType = 'repository';
      req.batonAuth.resourceId = repo.id;
      return reply.code(201).header('location', `/api/v1/repositories/${repo.id}`).send(repositoryOut(repo));
    },
  );

  r.get(
    '/repositories/:id',
    {
      config: { access: access.resource('repositories.read', 'repository') },
      schema: {
        tags: ['projects'],
        summary: 'A repository',
        params: idParams,
        response: { 200: repositorySchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => repositoryOut(await get(req.params.id)),
  );

  r.patch(
    '/repositories/:id',
    {
      config: { access: access.resource('repositories.write', 'repository') },
      schema: {
        tags: ['projects'],
        summary: "Change a repository's URL, default branch or project",
        params: idParams,
        body: z
          .object({
            url: repoUrlSchema.optional(),
            default_branch: branchSchema.optional(),
            project_id: uuidParam.nullable().optional(),
          })
          .strict(),
        response: { 200: repositorySchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const repo = await get(req.params.id);
      const b = req.body;
      await assertProjectIn(accounts, b.project_id, repo.workspaceId);
      await accounts.updateRepository(
        repo.id,
        {
          ...(b.url === undefined ? {} : { url: b.url }),
          ...(b.default_branch === undefined ? {} : { defaultBranch: b.default_branch }),
          ...(b.project_id === undefined ? {} : { projectId: b.project_id }),
        },
        Date.now(),
      );
      return repositoryOut(await get(repo.id));
    },
  );

  r.delete(
    '/repositories/:id',
    {
      config: { access: access.resource('repositories.write', 'repository') },
      schema: {
        tags: ['projects'],
        summary: 'Unregister a repository',
        params: idParams,
        response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      if (!(await accounts.deleteRepository(req.params.id))) {
        throw new BatonError('not_found', `repository ${req.params.id} does not exist`, { field: 'id' });
      }
      return reply.code(204).send(null);
    },
  );
}
