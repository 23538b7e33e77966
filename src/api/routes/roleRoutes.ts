import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUILTIN_ROLES } from '../../domain/agents/builtinRoles.ts';
import { canonicalRoleName, resolveRole, type CatalogRole } from '../../domain/agents/resolveRole.ts';
import { RUNTIMES, roleNameSchema, roleSpecSchema } from '../../domain/agents/roleSchema.ts';
import { BatonError } from '../../domain/errors.ts';
import type { RouteDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { access } from '../auth/accessRule.ts';
import { actorOf } from '../auth/principalOf.ts';
import { workspaceIdSchema } from '../schemas/accounts.ts';
import { nullableTime, toIsoOrNull } from '../schemas/common.ts';
import { fromWorkspaceParam } from './accounts/workspaceRoutes.ts';

const summarySchema = z.object({
  name: z.string(),
  title: z.string(),
  source: z.enum(['builtin', 'override', 'custom']),
  runtime: z.enum(RUNTIMES),
  model: z.string().nullable(),
  updated_at: nullableTime,
});
const detailSchema = summarySchema.extend({
  spec: z.record(z.string(), z.unknown()),
  onboarding: z.string(),
  updated_by: z.string().nullable(),
});

const summaryOut = (r: CatalogRole): z.infer<typeof summarySchema> => ({
  name: r.name,
  title: r.spec.title,
  source: r.source,
  runtime: r.spec.runtime,
  model: r.spec.model ?? null,
  updated_at: toIsoOrNull(r.updatedAt),
});
const detailOut = (r: CatalogRole): z.infer<typeof detailSchema> => ({
  ...summaryOut(r),
  spec: JSON.parse(JSON.stringify(r.spec)) as Record<string, unknown>,
  onboarding: r.onboarding,
  updated_by: r.updatedBy,
});

/** The agent role catalog of a workspace: Baton's built-ins, the workspace's overrides and its own roles. */
export async function roleRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { accounts } = deps;
  const params = z.object({ workspace: workspaceIdSchema, name: roleNameSchema });

  async function load(workspace: string, rawName: string): Promise<CatalogRole> {
    const name = canonicalRoleName(rawName);
    const resolved = resolveRole(name, await accounts.getRole(workspace, name));
    if (!resolved) {
      throw new BatonError('not_found', `role "${rawName}" is not in the catalog of "${workspace}"`, {
        field: 'name',
        hint: `built-in roles: ${[...BUILTIN_ROLES.keys()].join(', ')}`,
      });
    }
    if ('error' in resolved)
      throw new BatonError('invalid_state', resolved.error, { field: 'name', hint: 'PUT the role again' });
    return resolved;
  }

  r.get(
    '/workspaces/:workspace/roles',
    {
      config: { access: access.workspace('roles.read', fromWorkspaceParam) },
      schema: {
        tags: ['agents'],
        summary: 'The role catalog: built-in roles, overrides and custom roles, by name',
        params: z.object({ workspace: workspaceIdSchema }),
        response: { 200: z.object({ items: z.array(summarySchema) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const stored = new Map((await accounts.listRoles(req.params.workspace)).map((s) => [s.name, s]));
      const names = [...new Set([...BUILTIN_ROLES.keys(), ...stored.keys()])].sort();
      const items = names
        .map((n) => resolveRole(n, stored.get(n)))
        .filter((x): x is CatalogRole => x !== undefined && !('error' in x));
      return { items: items.map(summaryOut) };
    },
  );

  r.get(
    '/workspaces/:workspace/roles/:name',
    {
      config: { access: access.workspace('roles.read', fromWorkspaceParam) },
      schema: {
        tags: ['agents'],
        summary:
          'A role: its spec (prompt, context packs, tools, constraints, runtime, model, output contract) and onboarding',
        params,
        response: { 200: detailSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => detailOut(await load(req.params.workspace, req.params.name)),
  );

  r.put(
    '/workspaces/:workspace/roles/:name',
    {
      config: { access: access.workspace('roles.write', fromWorkspaceParam) },
      schema: {
        tags: ['agents'],
        summary: 'Store a role (overrides the built-in of the same name; created: 201)',
        params,
        body: roleSpecSchema,
        response: { 200: detailSchema, 201: detailSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const { workspace } = req.params;
      const name = canonicalRoleName(req.params.name);
      if (!(await accounts.getWorkspace(workspace))) {
        throw new BatonError('not_found', `workspace "${workspace}" does not exist`, { field: 'workspace' });
      }
      const existed = (await accounts.getRole(workspace, name)) !== undefined;
      const now = Date.now();
      await accounts.upsertRole({
        workspaceId: workspace,
        name,
        spec: req.body,
        onboarding: null,
        updatedBy: actorOf(req),
        createdAt: now,
        updatedAt: now,
      });
      req.batonAuth.resourceType = 'role';
      req.batonAuth.resourceId = name;
      return reply.code(existed ? 200 : 201).send(detailOut(await load(workspace, name)));
    },
  );

  r.delete(
    '/workspaces/:workspace/roles/:name',
    {
      config: { access: access.workspace('roles.write', fromWorkspaceParam) },
      schema: {
        tags: ['agents'],
        summary: "Delete a workspace's role (a built-in comes back as it was)",
        params,
        response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const name = canonicalRoleName(req.params.name);
      if (!(await accounts.deleteRole(req.params.workspace, name))) {
        throw new BatonError('not_found', `workspace "${req.params.workspace}" stores no role "${name}"`, {
          field: 'name',
          hint: BUILTIN_ROLES.has(name) ? 'a built-in role cannot be deleted, only overridden' : undefined,
        });
      }
      req.batonAuth.resourceType = 'role';
      req.batonAuth.resourceId = name;
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/workspaces/:workspace/roles/:name/onboarding',
    {
      config: { access: access.workspace('roles.read', fromWorkspaceParam) },
      schema: {
        tags: ['agents'],
        summary: "A role's onboarding document (markdown)",
        params,
        response: { 200: z.object({ markdown: z.string() }), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => ({ markdown: (await load(req.params.workspace, req.params.name)).onboarding }),
  );

  r.put(
    '/workspaces/:workspace/roles/:name/onboarding',
    {
      config: { access: access.workspace('roles.write', fromWorkspaceParam) },
      schema: {
        tags: ['agents'],
        summary: "Replace a role's onboarding document (a built-in role is stored as an override)",
        params,
        body: z.object({ markdown: z.string().max(200_000) }).strict(),
        response: { 200: z.object({ markdown: z.string() }), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const { workspace } = req.params;
      const role = await load(workspace, req.params.name);
      const now = Date.now();
      const by = actorOf(req);
      if (!(await accounts.setRoleOnboarding(workspace, role.name, req.body.markdown, by, now))) {
        // a built-in: store it as an override carrying the new document
        await accounts.upsertRole({
          workspaceId: workspace,
          name: role.name,
          spec: role.spec,
          onboarding: req.body.markdown,
          updatedBy: by,
          createdAt: now,
          updatedAt: now,
        });
      }
      req.batonAuth.resourceType = 'role';
      req.batonAuth.resourceId = role.name;
      return { markdown: (await load(workspace, role.name)).onboarding };
    },
  );
}
