import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BatonError } from '../../domain/errors.ts';
import type { IssueChange } from '../../engine/systems/lockedIssueTree.ts';
import type { RouteDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { access } from '../auth/accessRule.ts';
import { actorOf } from '../auth/principalOf.ts';
import { workspaceIdSchema } from '../schemas/accounts.ts';
import { runIdParam } from '../schemas/common.ts';
import {
  issueBodySchema,
  issueDetailOut,
  issueDetailSchema,
  issueIdParam,
  issueKindSchema,
  issueOut,
  issueSchema,
  issueStatusSchema,
  issueTitleSchema,
  nextIssueOut,
  nextIssueSchema,
} from '../schemas/issues.ts';
import { fromWorkspaceParam } from './accounts/workspaceRoutes.ts';

const params = z.object({ id: issueIdParam });
const createdSchema = issueSchema.extend({
  reopened: z.array(z.string()).describe('issues the new defect reopened (it and its done ancestors)'),
});
const changedSchema = issueDetailSchema.extend({
  reopened: z.array(z.string()).describe('issues reopened by this change'),
});
const hierarchySchema = z.object({
  items: z
    .array(
      issueSchema
        .pick({ id: true, number: true, kind: true, title: true, status: true, branch: true })
        .extend({
          base: z.string().describe('the branch it is created from'),
          pr_target: z.string().describe('the branch its pull request targets'),
          pr_number: z.number().int().nullable(),
          pr_url: z.string().nullable(),
        }),
    )
    .describe('from the root down to the issue'),
});

const createdOut = (c: IssueChange) => ({ ...issueOut(c.issue), reopened: c.reopened.map((i) => i.id) });

/** The issue tree: epics, features, tasks and defects, ordered children, completion and branch plans. */
export async function issueRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { engine, accounts } = deps;

  r.post(
    '/workspaces/:workspace/issues',
    {
      config: { access: access.workspace('issues.write', fromWorkspaceParam) },
      schema: {
        tags: ['issues'],
        summary: 'Create an issue: a root (optionally owned by a run) or a child appended to its parent',
        description:
          'An epic is always a root; epics and features hold features, tasks and defects; tasks and ' +
          'defects hold defects. A defect filed under a done issue reopens it and its done ancestors; ' +
          'anything else under a done issue is refused (409).',
        params: z.object({ workspace: workspaceIdSchema }),
        body: z.object({
          kind: issueKindSchema,
          title: issueTitleSchema,
          body: issueBodySchema.optional(),
          parent_id: issueIdParam.optional().describe('file it under this issue (same workspace)'),
          run_id: runIdParam.optional().describe('a root: the run that owns the tree (children inherit it)'),
        }),
        response: { 201: createdSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { workspace } = req.params;
      if (!(await accounts.getWorkspace(workspace))) {
        throw new BatonError('not_found', `workspace "${workspace}" does not exist`, { field: 'workspace' });
      }
      const b = req.body;
      const runId = b.run_id === undefined ? null : await engine.resolveRunId(b.run_id);
      const created = await engine.createIssue(
        {
          workspaceId: workspace,
          kind: b.kind,
          title: b.title,
          ...(b.body === undefined ? {} : { body: b.body }),
          parentId: b.parent_id ?? null,
          runId,
          createdBy: actorOf(req),
        },
        req.signal,
      );
      req.batonAuth.resourceType = 'issue';
      req.batonAuth.resourceId = created.issue.id;
      return reply
        .code(201)
        .header('location', `/api/v1/issues/${created.issue.id}`)
        .send(createdOut(created));
    },
  );

  r.get(
    '/runs/:id/issues',
    {
      config: { access: access.resource('issues.read', 'run') },
      schema: {
        tags: ['issues'],
        summary: 'The issue tree of a run, depth-first in sibling order, and what runs next',
        params: z.object({ id: runIdParam }),
        response: {
          200: z.object({ items: z.array(issueSchema), next: nextIssueSchema }),
          ...problemResponses(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const tree = await engine.listRunIssues(await engine.resolveRunId(req.params.id));
      return { items: tree.issues.map(issueOut), next: nextIssueOut(tree.next) };
    },
  );

  r.get(
    '/issues/:id',
    {
      config: { access: access.resource('issues.read', 'issue') },
      schema: {
        tags: ['issues'],
        summary: 'An issue with its children, whether it may complete and the defects blocking its merge',
        params,
        response: { 200: issueDetailSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => issueDetailOut(await engine.getIssue(req.params.id)),
  );

  r.patch(
    '/issues/:id',
    {
      config: { access: access.resource('issues.write', 'issue') },
      schema: {
        tags: ['issues'],
        summary: 'Edit the title, body or status of an issue',
        description:
          'Status transitions: open ⇄ in_progress ⇄ blocked; `done` only when every descendant is ' +
          'done (as POST …/complete); a done issue can only be reopened (`open`), which reopens its ' +
          'done ancestors too.',
        params,
        body: z.object({
          title: issueTitleSchema.optional(),
          body: issueBodySchema.optional(),
          status: issueStatusSchema.optional(),
        }),
        response: { 200: changedSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const { title, body, status } = req.body;
      const edit = {
        ...(title === undefined ? {} : { title }),
        ...(body === undefined ? {} : { body }),
        ...(status === undefined ? {} : { status }),
      };
      const changed = await engine.updateIssue(req.params.id, edit, actorOf(req), req.signal);
      return {
        ...issueDetailOut(await engine.getIssue(req.params.id)),
        reopened: changed.reopened.map((i) => i.id),
      };
    },
  );

  r.put(
    '/issues/:id/children/order',
    {
      config: { access: access.resource('issues.write', 'issue') },
      schema: {
        tags: ['issues'],
        summary: 'Reorder the children of an issue (a permutation of their ids)',
        params,
        body: z.object({
          ids: z.array(issueIdParam).max(1000).describe('every child id, once, in the new order'),
        }),
        response: {
          200: z.object({ items: z.array(issueSchema) }),
          ...problemResponses(400, 401, 403, 404),
        },
      },
    },
    async (req) => {
      const items = await engine.reorderIssueChildren(req.params.id, req.body.ids, actorOf(req), req.signal);
      return { items: items.map(issueOut) };
    },
  );

  r.post(
    '/issues/:id/defects',
    {
      config: { access: access.resource('issues.write', 'issue') },
      schema: {
        tags: ['issues'],
        summary: 'File a defect under an issue: it reopens the issue and its done ancestors',
        description: "The issue's merge is blocked until the defect is done (`merge_blocked_by`).",
        params,
        body: z.object({ title: issueTitleSchema, body: issueBodySchema.optional() }),
        response: { 201: createdSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { title, body } = req.body;
      const filed = await engine.fileDefect(
        req.params.id,
        { title, ...(body === undefined ? {} : { body }), createdBy: actorOf(req) },
        req.signal,
      );
      return reply.code(201).header('location', `/api/v1/issues/${filed.issue.id}`).send(createdOut(filed));
    },
  );

  r.get(
    '/issues/:id/hierarchy',
    {
      config: { access: access.resource('issues.read', 'issue') },
      schema: {
        tags: ['issues'],
        summary: 'The path from the root down to an issue, with the branch, base and PR target of each',
        description:
          'A root branches from and targets `integration`; a task branches from its parent; any other ' +
          'child from its nearest ancestor that is not done; every pull request targets the parent branch.',
        params,
        response: { 200: hierarchySchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => ({
      items: (await engine.issueHierarchy(req.params.id)).map((x) => ({
        id: x.issue.id,
        number: x.issue.number,
        kind: x.issue.kind,
        title: x.issue.title,
        status: x.issue.status,
        branch: x.branch,
        base: x.base,
        pr_target: x.prTarget,
        pr_number: x.issue.prNumber,
        pr_url: x.issue.prUrl,
      })),
    }),
  );

  r.post(
    '/issues/:id/complete',
    {
      config: { access: access.resource('issues.write', 'issue') },
      schema: {
        tags: ['issues'],
        summary: 'Complete an issue (refused while any issue under it is not done)',
        params,
        response: { 200: issueDetailSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      await engine.completeIssue(req.params.id, actorOf(req), req.signal);
      return issueDetailOut(await engine.getIssue(req.params.id));
    },
  );
}
