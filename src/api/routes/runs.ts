import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BatonError } from '../../domain/errors.ts';
import type { RunRecord } from '../../domain/records.ts';
import type { RouteDeps } from '../apiDeps.ts';
import { decodeCursor, encodeCursor } from '../app/cursor.ts';
import { problemResponses } from '../app/problem.ts';
import { authorize, readableWorkspaces } from '../../domain/access/authorize.ts';
import { access } from '../auth/accessRule.ts';
import { actorOf, principalOf } from '../auth/principalOf.ts';
import { workspaceIdSchema } from '../schemas/accounts.ts';
import {
  cursorParam,
  limitParam,
  pageOf,
  runIdParam,
  stepKeyParam,
  workflowNameParam,
} from '../schemas/common.ts';
import {
  attemptOut,
  attemptSchema,
  eventOut,
  eventSchema,
  runOut,
  runSchema,
  runStatusSchema,
  stepOut,
  stepSchema,
  waitOut,
  waitSchema,
} from '../schemas/resources.ts';

const runCursor = z.object({ c: z.number(), i: z.string() });
const eventCursor = z.object({ a: z.number().int().min(0) });

const statusFilter = z
  .string()
  .max(200)
  .optional()
  .describe('comma-separated run statuses')
  .transform((s, ctx) => {
    if (s === undefined || s === '') return undefined;
    const out: RunRecord['status'][] = [];
    for (const part of s.split(',')) {
      const r = runStatusSchema.safeParse(part.trim());
      if (!r.success) {
        ctx.addIssue({ code: 'custom', message: `unknown run status "${part.trim()}"` });
        return z.NEVER;
      }
      out.push(r.data);
    }
    return out;
  });

const sinceParam = z
  .string()
  .max(40)
  .optional()
  .describe('ISO 8601 time or epoch milliseconds: runs created at or after it')
  .transform((s, ctx) => {
    if (s === undefined || s === '') return undefined;
    const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time or epoch milliseconds' });
      return z.NEVER;
    }
    return ms;
  });

const controlBody = z
  .object({
    reason: z.string().max(2000).optional(),
    step: stepKeyParam.optional().describe('advance only: the step to settle'),
  })
  .optional();

const runParams = z.object({ id: runIdParam });
const stepParams = z.object({ id: runIdParam, step: stepKeyParam });

type ControlAction = 'cancel' | 'pause' | 'resume' | 'advance';

/** Runs: list with filters, details, the timeline, control, step retry. */
export async function runRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { engine } = deps;

  async function control(
    action: ControlAction,
    idOrPrefix: string,
    by: string,
    reason: string | undefined,
    step: string | undefined,
  ): Promise<RunRecord> {
    const id = await engine.resolveRunId(idOrPrefix);
    const actor = { by, ...(reason === undefined ? {} : { reason }) };
    switch (action) {
      case 'cancel':
        return engine.cancel(id, actor);
      case 'pause':
        return engine.pause(id, actor);
      case 'resume':
        return engine.resume(id, actor);
      case 'advance':
        return engine.advance(id, step, actor);
    }
  }

  r.get(
    '/runs',
    {
      config: { access: access.any('runs.read') },
      schema: {
        tags: ['runs'],
        summary: 'Runs, newest first, with filters (only the workspaces the caller can read)',
        querystring: z.object({
          workspace: workspaceIdSchema.optional(),
          repository: z.string().min(1).max(200).optional().describe('a repository id or owner/name'),
          status: statusFilter,
          workflow: workflowNameParam.optional(),
          since: sinceParam,
          cursor: cursorParam,
          limit: limitParam,
        }),
        response: { 200: pageOf(runSchema), ...problemResponses(400) },
      },
    },
    async (req) => {
      const q = req.query;
      const before = q.cursor ? decodeCursor(q.cursor, runCursor) : undefined;
      const readable = readableWorkspaces(principalOf(req));
      const workspaceIds =
        q.workspace === undefined
          ? readable
          : !readable || readable.includes(q.workspace)
            ? [q.workspace]
            : [];
      const repositoryIds =
        q.repository === undefined
          ? undefined
          : (await deps.accounts.findRepositories(q.repository, workspaceIds)).map((r) => r.id);
      const rows = await engine.listRuns({
        ...(workspaceIds ? { workspaceIds } : {}),
        ...(repositoryIds ? { repositoryIds } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.workflow ? { workflowName: q.workflow } : {}),
        ...(q.since === undefined ? {} : { since: q.since }),
        ...(before ? { before: { createdAt: before.c, id: before.i } } : {}),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: page.map(runOut),
        next_cursor: rows.length > q.limit && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null,
      };
    },
  );

  r.get(
    '/runs/:id',
    {
      config: { access: access.resource('runs.read', 'run') },
      schema: {
        tags: ['runs'],
        summary: 'A run with its steps, outputs, waits and attempts',
        params: runParams,
        response: {
          200: runSchema.extend({
            steps: z.array(stepSchema),
            waits: z.array(waitSchema),
            attempts: z.array(attemptSchema),
          }),
          ...problemResponses(400, 404),
        },
      },
    },
    async (req) => {
      const d = await engine.getRun(await engine.resolveRunId(req.params.id));
      return {
        ...runOut(d.run),
        steps: d.steps.map(stepOut),
        waits: d.waits.map(waitOut),
        attempts: d.attempts.map(attemptOut),
      };
    },
  );

  r.get(
    '/runs/:id/timeline',
    {
      config: { access: access.resource('runs.read', 'run') },
      schema: {
        tags: ['runs'],
        summary: "The run's events in the order they happened (paged by event id)",
        params: runParams,
        querystring: z.object({ cursor: cursorParam, limit: limitParam }),
        response: { 200: pageOf(eventSchema), ...problemResponses(400, 404) },
      },
    },
    async (req) => {
      const id = await engine.resolveRunId(req.params.id);
      const { cursor, limit } = req.query;
      const after = cursor ? decodeCursor(cursor, eventCursor).a : 0;
      const rows = await engine.listEvents(after, limit + 1, id);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(eventOut),
        next_cursor: rows.length > limit && last ? encodeCursor({ a: last.id }) : null,
      };
    },
  );

  for (const action of ['cancel', 'pause', 'resume', 'advance'] as const) {
    r.post(
      `/runs/:id/${action}`,
      {
        config: { access: access.resource(action === 'advance' ? 'runs.advance' : 'runs.control', 'run') },
        schema: {
          tags: ['runs'],
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a run`,
          params: runParams,
          body: controlBody,
          response: { 200: runSchema, ...problemResponses(400, 404, 409) },
        },
      },
      async (req) => {
        if (action !== 'advance' && req.body?.step !== undefined) {
          throw new BatonError('invalid_input', `"step" applies to advance only, not ${action}`, {
            field: 'step',
          });
        }
        return runOut(await control(action, req.params.id, actorOf(req), req.body?.reason, req.body?.step));
      },
    );
  }

  r.post(
    '/runs/:id/interrupt',
    {
      config: { access: access.resource('runs.control', 'run') },
      schema: {
        tags: ['runs'],
        summary: 'Cancel, pause, resume or advance a run, with a reason (advance needs the maintainer role)',
        params: runParams,
        body: z.object({
          action: z.enum(['pause', 'resume', 'cancel', 'advance']),
          reason: z.string().min(1).max(2000),
          step: stepKeyParam.optional().describe('advance only: the step to settle'),
        }),
        response: { 200: runSchema, ...problemResponses(400, 404, 409) },
      },
    },
    async (req) => {
      const { action, reason, step } = req.body;
      if (action === 'advance') {
        const d = authorize(principalOf(req), 'runs.advance', { workspace: req.batonAuth.workspace ?? '' });
        if (!d.allowed) {
          req.batonAuth.denial = d.reason;
          throw new BatonError('forbidden', d.reason, { field: 'action' });
        }
      }
      if (action !== 'advance' && step !== undefined) {
        throw new BatonError('invalid_input', `"step" applies to advance only, not ${action}`, {
          field: 'step',
        });
      }
      return runOut(await control(action, req.params.id, actorOf(req), reason, step));
    },
  );

  r.post(
    '/runs/:id/steps/:step/retry',
    {
      config: { access: access.resource('runs.retry', 'run') },
      schema: {
        tags: ['runs'],
        summary: 'Re-open a failed step and the steps it blocked',
        params: stepParams,
        response: { 200: runSchema, ...problemResponses(400, 404, 409) },
      },
    },
    async (req) => {
      const id = await engine.resolveRunId(req.params.id);
      return runOut(await engine.retry(id, req.params.step, { by: actorOf(req) }));
    },
  );
}
