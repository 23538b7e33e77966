import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUDGET_PERIODS, type AgentAttemptRecord } from '../../domain/agents/agentAttempt.ts';
import { periodStart } from '../../domain/agents/budgetPeriod.ts';
import { BatonError } from '../../domain/errors.ts';
import type { RouteDeps } from '../apiDeps.ts';
import { problemResponses } from '../app/problem.ts';
import { access } from '../auth/accessRule.ts';
import { actorOf } from '../auth/principalOf.ts';
import { workspaceIdSchema } from '../schemas/accounts.ts';
import { isoTime, nullableTime, runIdParam, toIso, toIsoOrNull } from '../schemas/common.ts';
import { fromWorkspaceParam } from './accounts/workspaceRoutes.ts';

const spendSchema = z.object({ tokens: z.number(), usd: z.number(), attempts: z.number().int() });

const budgetSchema = z.object({
  workspace: z.string(),
  tokens: z.number().int().nullable().describe('input + output tokens per period; null: no token limit'),
  usd: z.number().nullable().describe('USD per period; null: no USD limit'),
  period: z.enum(BUDGET_PERIODS).describe('UTC calendar day, week (from Monday) or month; total: ever'),
  since: isoTime.describe('the start of the current period'),
  spent: spendSchema.describe('what agent attempts of the workspace spent since then'),
  updated_at: nullableTime,
  updated_by: z.string().nullable(),
});

const budgetBody = z
  .object({
    tokens: z.number().int().positive().nullable().optional(),
    usd: z.number().positive().nullable().optional(),
    period: z.enum(BUDGET_PERIODS).default('month'),
  })
  .strict()
  .refine((b) => (b.tokens ?? null) !== null || (b.usd ?? null) !== null, {
    message: 'give tokens, usd or both (DELETE the budget to remove it)',
    path: ['tokens'],
  });

const attemptSchema = z.object({
  step: z.string(),
  attempt: z.number().int(),
  iteration: z.number().int(),
  runtime: z.string(),
  model: z.string().nullable(),
  session_id: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  tokens_in: z.number(),
  tokens_out: z.number(),
  tokens_cached: z.number(),
  cost_usd: z.number().nullable(),
  turns: z.number().int(),
  started_at: isoTime,
  finished_at: nullableTime,
});

const attemptOut = (a: AgentAttemptRecord): z.infer<typeof attemptSchema> => ({
  step: a.stepKey,
  attempt: a.attempt,
  iteration: a.iteration,
  runtime: a.runtime,
  model: a.model,
  session_id: a.sessionId,
  status: a.status,
  reason: a.reason,
  tokens_in: a.tokensIn,
  tokens_out: a.tokensOut,
  tokens_cached: a.tokensCached,
  cost_usd: a.costUsd,
  turns: a.turns,
  started_at: toIso(a.startedAt),
  finished_at: toIsoOrNull(a.finishedAt),
});

/** Agent spend: every agent attempt of a run, and the per-period budget of a workspace. */
export async function agentUsageRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { store, engine } = deps;
  const params = z.object({ workspace: workspaceIdSchema });

  async function budgetOf(workspace: string): Promise<z.infer<typeof budgetSchema>> {
    if (!(await deps.accounts.getWorkspace(workspace)))
      throw new BatonError('not_found', `workspace "${workspace}" does not exist`, { field: 'workspace' });
    const b = await store.getWorkspaceBudget(workspace);
    const period = b?.period ?? 'month';
    const since = periodStart(period, Date.now());
    const spent = await store.sumAgentSpend({ workspaceId: workspace, since });
    return {
      workspace,
      tokens: b?.tokens ?? null,
      usd: b?.usd ?? null,
      period,
      since: toIso(since),
      spent,
      updated_at: toIsoOrNull(b?.updatedAt ?? null),
      updated_by: b?.updatedBy ?? null,
    };
  }

  r.get(
    '/workspaces/:workspace/budget',
    {
      config: { access: access.workspace('workspace.read', fromWorkspaceParam) },
      schema: {
        tags: ['agents'],
        summary: "The workspace's agent budget and what was spent this period (no budget: limits are null)",
        params,
        response: { 200: budgetSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (req) => budgetOf(req.params.workspace),
  );

  r.put(
    '/workspaces/:workspace/budget',
    {
      config: { access: access.workspace('workspace.write', fromWorkspaceParam) },
      schema: {
        tags: ['agents'],
        summary:
          'Set what all agent steps of the workspace may spend per period; a step starts with what is left and fails at once when nothing is',
        params,
        body: budgetBody,
        response: { 200: budgetSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const b = req.body;
      await budgetOf(req.params.workspace); // 404 for a workspace that does not exist
      await store.setWorkspaceBudget(req.params.workspace, {
        workspaceId: req.params.workspace,
        tokens: b.tokens ?? null,
        usd: b.usd ?? null,
        period: b.period,
        updatedAt: Date.now(),
        updatedBy: actorOf(req),
      });
      return budgetOf(req.params.workspace);
    },
  );

  r.delete(
    '/workspaces/:workspace/budget',
    {
      config: { access: access.workspace('workspace.write', fromWorkspaceParam) },
      schema: {
        tags: ['agents'],
        summary: "Remove the workspace's agent budget (no limit)",
        params,
        response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await store.setWorkspaceBudget(req.params.workspace, null);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/runs/:id/agent-attempts',
    {
      config: { access: access.resource('runs.read', 'run') },
      schema: {
        tags: ['agents'],
        summary:
          "Every agent attempt of a run (retried and parked ones included): runtime, session, usage, cost, and the run's total",
        params: z.object({ id: runIdParam }),
        response: {
          200: z.object({ items: z.array(attemptSchema), total: spendSchema }),
          ...problemResponses(400, 404),
        },
      },
    },
    async (req) => {
      const id = await engine.resolveRunId(req.params.id);
      const [items, total] = await Promise.all([
        store.listAgentAttempts(id),
        store.sumAgentSpend({ runId: id }),
      ]);
      return { items: items.map(attemptOut), total };
    },
  );
}
