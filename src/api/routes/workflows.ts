import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BatonError } from '../../domain/errors.ts';
import { parseWorkflow } from '../../domain/workflow/parseWorkflow.ts';
import { readableWorkspaces, roleIn } from '../../domain/access/authorize.ts';
import type { RouteDeps } from '../apiDeps.ts';
import { access, fieldOf } from '../auth/accessRule.ts';
import { actorOf, principalOf } from '../auth/principalOf.ts';
import { workspaceIdSchema } from '../schemas/accounts.ts';
import { decodeCursor, encodeCursor } from '../app/cursor.ts';
import { problemResponses } from '../app/problem.ts';
import { cursorParam, jsonObject, limitParam, pageOf, workflowNameParam } from '../schemas/common.ts';
import {
  runSchema,
  runOut,
  workflowDetailOut,
  workflowDetailSchema,
  workflowIssueSchema,
  workflowSummaryOut,
  workflowSummarySchema,
} from '../schemas/resources.ts';

const sourceBody = z.object({
  workspace: workspaceIdSchema
    .optional()
    .describe(
      "PUT only: the workspace of a new workflow (default: the token's); an existing one keeps its own",
    ),
  source: z.string().min(1).max(1_000_000).describe('the workflow file: YAML or JSON'),
  format: z.enum(['yaml', 'json']).optional().describe('informational: JSON is parsed as YAML 1.2'),
});

const workflowCursor = z.object({ u: z.number(), n: z.string() });

const idempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
  .optional()
  .describe('the same key returns the same run (200); reused with a different request: 409');

/** Workflows: list, get, validate, store (origin `api`), trigger a run. */
export async function workflowRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { engine } = deps;

  r.get(
    '/workflows',
    {
      config: { access: access.any('workflows.read') },
      schema: {
        tags: ['workflows'],
        summary: 'Registered workflows, most recently updated first',
        querystring: z.object({ cursor: cursorParam, limit: limitParam }),
        response: { 200: pageOf(workflowSummarySchema), ...problemResponses(400) },
      },
    },
    async (req) => {
      const { cursor, limit } = req.query;
      const after = cursor ? decodeCursor(cursor, workflowCursor) : null;
      // the registered set is small and held whole by the store: ordered and cut here
      const readable = readableWorkspaces(principalOf(req));
      const visible = (await engine.listWorkflows()).filter(
        (w) => !readable || readable.includes(w.workspaceId),
      );
      const all = visible.sort(
        (a, b) => b.updatedAt - a.updatedAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
      const rest = after
        ? all.filter((w) => w.updatedAt < after.u || (w.updatedAt === after.u && w.name > after.n))
        : all;
      const page = rest.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(workflowSummaryOut),
        next_cursor: rest.length > limit && last ? encodeCursor({ u: last.updatedAt, n: last.name }) : null,
      };
    },
  );

  r.get(
    '/workflows/:name',
    {
      config: { access: access.resource('workflows.read', 'workflow', 'name') },
      schema: {
        tags: ['workflows'],
        summary: 'A workflow with its definition and source',
        params: z.object({ name: workflowNameParam }),
        response: { 200: workflowDetailSchema, ...problemResponses(400, 404) },
      },
    },
    async (req) => workflowDetailOut(await engine.getWorkflow(req.params.name)),
  );

  r.post(
    '/workflows/validate',
    {
      config: { access: access.any('workflows.validate') },
      schema: {
        tags: ['workflows'],
        summary: 'Validate a workflow source without storing it',
        body: sourceBody,
        response: {
          200: z.object({
            ok: z.boolean(),
            name: z.string().nullable(),
            errors: z.array(workflowIssueSchema),
            warnings: z.array(workflowIssueSchema),
          }),
          ...problemResponses(400),
        },
      },
    },
    async (req) => {
      const result = parseWorkflow(req.body.source, req.body.format ? { format: req.body.format } : {});
      return result.ok
        ? { ok: true, name: result.workflow.name, errors: [], warnings: result.warnings }
        : { ok: false, name: null, errors: result.errors, warnings: [] };
    },
  );

  r.put(
    '/workflows/:name',
    {
      // an existing workflow is changed in its own workspace; a new one is created in the named one
      config: {
        access: access.workspace(
          'workflows.write',
          async (req) =>
            fieldOf(req.body, 'workspace') ??
            (await deps.accounts.workspaceOf('workflow', fieldOf(req.params, 'name') ?? '')),
        ),
      },
      schema: {
        tags: ['workflows'],
        summary: 'Store a workflow definition (created: 201, updated or unchanged: 200)',
        params: z.object({ name: workflowNameParam }),
        body: sourceBody,
        response: {
          200: workflowDetailSchema,
          201: workflowDetailSchema,
          ...problemResponses(400, 422),
        },
      },
    },
    async (req, reply) => {
      const { name } = req.params;
      const parsed = parseWorkflow(req.body.source, req.body.format ? { format: req.body.format } : {});
      if (!parsed.ok) {
        throw new BatonError(
          'invalid_workflow',
          `the workflow source has ${parsed.errors.length} problem(s)`,
          {
            field: 'source',
            hint: 'see `errors`: each names the path, line and column',
            details: { errors: parsed.errors },
          },
        );
      }
      if (parsed.workflow.name !== name) {
        throw new BatonError(
          'invalid_input',
          `the source defines workflow "${parsed.workflow.name}", not "${name}"`,
          { field: 'source.name', hint: `PUT it at /api/v1/workflows/${parsed.workflow.name}` },
        );
      }
      const existing = await deps.store.getWorkflow(name);
      const workspaceId = req.batonAuth.workspace!;
      if (existing && existing.workspaceId !== workspaceId) {
        const mine = roleInWorkspace(req, existing.workspaceId);
        throw new BatonError(
          mine ? 'forbidden' : 'conflict',
          mine
            ? `workflow "${name}" is in workspace "${existing.workspaceId}"`
            : `workflow name "${name}" is taken`,
          {
            field: mine ? 'workspace' : 'name',
            hint: mine
              ? `send "workspace": "${existing.workspaceId}" (changing it needs the maintainer role there)`
              : 'workflow names are unique across a Baton instance: choose another name',
          },
        );
      }
      req.log.info({ workflow: name, actor: actorOf(req) }, 'workflow stored');
      const record = await engine.registerWorkflow(parsed.workflow, {
        source: req.body.source,
        origin: 'api',
        workspaceId,
      });
      const existed = existing !== undefined;
      return reply.code(existed ? 200 : 201).send(workflowDetailOut(record));
    },
  );

  r.post(
    '/workflows/:name/runs',
    {
      config: { access: access.resource('runs.trigger', 'workflow', 'name') },
      schema: {
        tags: ['workflows', 'runs'],
        summary: 'Trigger a run (201; 200 when the Idempotency-Key matched an earlier run)',
        params: z.object({ name: workflowNameParam }),
        headers: z.looseObject({ 'idempotency-key': idempotencyKey }),
        body: z
          .object({
            inputs: jsonObject.optional(),
            priority: z.number().int().min(-1000).max(1000).optional(),
            dry_run: z.boolean().optional(),
            repository: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .describe("a repository registered in the workflow's workspace: its id or owner/name"),
          })
          .optional(),
        response: { 200: runSchema, 201: runSchema, ...problemResponses(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const body = req.body ?? {};
      const key = req.headers['idempotency-key'];
      let repositoryId: string | undefined;
      if (body.repository !== undefined) {
        const workspace = req.batonAuth.workspace!;
        const [repo] = await deps.accounts.findRepositories(body.repository, [workspace]);
        if (!repo) {
          throw new BatonError(
            'invalid_input',
            `repository "${body.repository}" is not registered in workspace "${workspace}"`,
            {
              field: 'repository',
              hint: `register it with POST /api/v1/workspaces/${workspace}/repositories`,
            },
          );
        }
        repositoryId = repo.id;
      }
      const result = await engine.createRun({
        ...(repositoryId === undefined ? {} : { repositoryId }),
        workflow: req.params.name,
        inputs: body.inputs ?? {},
        ...(body.priority === undefined ? {} : { priority: body.priority }),
        ...(body.dry_run === undefined ? {} : { dryRun: body.dry_run }),
        ...(key === undefined ? {} : { idempotencyKey: key }),
        createdBy: actorOf(req),
        trigger: 'api',
      });
      return reply.code(result.created ? 201 : 200).send(runOut(result.run));
    },
  );
}

function roleInWorkspace(req: Parameters<typeof principalOf>[0], workspace: string): boolean {
  return roleIn(principalOf(req), workspace) !== undefined;
}
