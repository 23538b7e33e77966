import { toErrorRecord, type ErrorRecord } from '../../domain/errors.ts';
import {
  evaluateCondition,
  evaluateExpression,
  renderTemplate,
  renderValue,
} from '../../domain/expressions/index.ts';
import type { RunRecord, StepExecSpec, StepRecord } from '../../domain/records.ts';
import type { RunStatus } from '../../domain/runStatus.ts';
import { isTerminalStep, type StepStatus } from '../../domain/stepStatus.ts';
import type { StepSpec, WorkflowDefinition } from '../../domain/workflow/types.ts';
import { assertExhaustive } from '../../domain/assertExhaustive.ts';
import { buildContext } from './buildContext.ts';
import { renderEnv } from './renderEnv.ts';
import { budgetWithinRun } from './runBudget.ts';

/** What the planner decided for one step or for the run. Applied in one transaction. */
export type Decision =
  | { type: 'skip'; stepKey: string; reason: string }
  | { type: 'queue'; stepKey: string; spec: StepExecSpec }
  | {
      type: 'await_approval';
      stepKey: string;
      message: string;
      dueAt: number | null;
      default: 'approve' | 'reject';
      approvers: string[];
    }
  | { type: 'timer'; stepKey: string; dueAt: number }
  | { type: 'event_wait'; stepKey: string; event: string; if: string | null; dueAt: number | null }
  | { type: 'children'; stepKey: string; workflow: string; items: Array<Record<string, unknown>> }
  | { type: 'complete'; stepKey: string; outputs: Record<string, unknown>; note: string }
  | { type: 'fail'; stepKey: string; error: ErrorRecord }
  | {
      type: 'finish_run';
      status: 'succeeded' | 'failed';
      outputs: Record<string, unknown> | null;
      error: ErrorRecord | null;
    }
  | { type: 'run_status'; status: RunStatus };

export interface PlanInput {
  run: RunRecord;
  steps: readonly StepRecord[];
  now: number;
}

/** A step counts as succeeded for its dependants when it succeeded, or failed with continue_on_error. */
function effectivelySucceeded(spec: StepSpec | undefined, status: StepStatus): boolean {
  return status === 'succeeded' || (status === 'failed' && spec?.continueOnError === true);
}

/**
 * The pure heart of the engine: given a run and its steps, decide which pending steps start, which
 * are skipped, and whether the run is finished. Iterates to a fixpoint so a skip cascades in one pass.
 */
export function planRun({ run, steps, now }: PlanInput): Decision[] {
  const def: WorkflowDefinition = run.definition;
  const specs = new Map(def.steps.map((s) => [s.id, s]));
  const status = new Map(steps.map((s) => [s.stepKey, s.status]));
  const decisions: Decision[] = [];
  const outputsOf = new Map(steps.map((s) => [s.stepKey, s.outputs ?? {}]));
  const ctxSteps = () =>
    steps.map((s) => ({
      ...s,
      status: status.get(s.stepKey) ?? s.status,
      outputs: outputsOf.get(s.stepKey) ?? null,
    }));

  let baseCtx = buildContext(run, ctxSteps(), {});
  let workflowEnv: Record<string, string> = {};
  try {
    workflowEnv = renderEnv(def.env, baseCtx);
  } catch {
    // reported per step below when a step uses the env
  }

  let changed = true;
  while (changed) {
    changed = false;
    for (const spec of def.steps) {
      if (status.get(spec.id) !== 'pending') continue;
      const needStatuses = spec.needs.map((n) => status.get(n) ?? 'pending');
      if (!needStatuses.every(isTerminalStep)) continue;
      baseCtx = buildContext(run, ctxSteps(), workflowEnv);
      const needs = {
        allSucceeded: spec.needs.every((n) => effectivelySucceeded(specs.get(n), status.get(n) ?? 'pending')),
        anyFailed: needStatuses.some((s) => s === 'failed'),
        cancelled: run.status === 'cancelled',
      };
      let decision: Decision;
      try {
        decision = evaluateCondition(spec.if, baseCtx, needs)
          ? activate(spec, run, baseCtx, workflowEnv, now, steps)
          : {
              type: 'skip',
              stepKey: spec.id,
              reason: spec.if ? `condition ${spec.if} is false` : 'a needed step did not succeed',
            };
      } catch (e) {
        decision = { type: 'fail', stepKey: spec.id, error: toErrorRecord(e) };
      }
      decisions.push(decision);
      status.set(spec.id, statusAfter(decision));
      if (decision.type === 'complete') outputsOf.set(spec.id, decision.outputs);
      changed = true;
    }
  }

  const all = def.steps.map((s) => status.get(s.id) ?? 'pending');
  if (all.every(isTerminalStep)) {
    const failed = def.steps.filter((s) => status.get(s.id) === 'failed' && !s.continueOnError);
    const cancelled = def.steps.filter((s) => status.get(s.id) === 'cancelled');
    if (failed.length || cancelled.length) {
      const names = [...failed, ...cancelled].map((s) => s.id).join(', ');
      decisions.push({
        type: 'finish_run',
        status: 'failed',
        outputs: null,
        error: {
          code: 'step_failed',
          message: `step${failed.length + cancelled.length > 1 ? 's' : ''} ${names} did not succeed`,
        },
      });
    } else {
      const ctx = buildContext(run, ctxSteps(), workflowEnv);
      try {
        decisions.push({
          type: 'finish_run',
          status: 'succeeded',
          outputs: renderValue(def.outputs, ctx) as Record<string, unknown>,
          error: null,
        });
      } catch (e) {
        decisions.push({ type: 'finish_run', status: 'failed', outputs: null, error: toErrorRecord(e) });
      }
    }
  } else if (run.status !== 'paused') {
    const next: RunStatus = all.includes('awaiting_approval') ? 'awaiting_approval' : 'running';
    if (next !== run.status) decisions.push({ type: 'run_status', status: next });
  }
  return decisions;
}

function statusAfter(d: Decision): StepStatus {
  switch (d.type) {
    case 'skip':
      return 'skipped';
    case 'queue':
      return 'queued';
    case 'await_approval':
      return 'awaiting_approval';
    case 'timer':
    case 'event_wait':
    case 'children':
      return 'running';
    case 'complete':
      return 'succeeded';
    case 'fail':
      return 'failed';
    case 'finish_run':
    case 'run_status':
      return 'pending';
    default:
      return assertExhaustive(d, 'decision');
  }
}

function joinPath(base: string | null, p: string | undefined): string | null {
  if (!p) return base;
  if (p.startsWith('/') || !base) return p;
  return `${base.replace(/\/+$/, '')}/${p}`;
}

function activate(
  spec: StepSpec,
  run: RunRecord,
  ctx: ReturnType<typeof buildContext>,
  workflowEnv: Record<string, string>,
  now: number,
  steps: readonly StepRecord[],
): Decision {
  const def = run.definition;
  switch (spec.kind) {
    case 'run': {
      const timeoutMs = spec.timeoutMs ?? def.defaults.timeoutMs;
      const shell = spec.shell ?? def.defaults.shell;
      const wd = spec.workingDirectory ?? def.defaults.workingDirectory;
      return {
        type: 'queue',
        stepKey: spec.id,
        spec: {
          command: renderTemplate(spec.run, ctx),
          cwd: joinPath(run.baseDir, wd === undefined ? undefined : renderTemplate(wd, ctx)),
          env: { ...workflowEnv, ...renderEnv(spec.env, ctx) },
          dryRun: run.dryRun,
          workflowName: run.workflowName,
          ...(shell === undefined ? {} : { shell }),
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
        },
      };
    }
    case 'agent': {
      const budget = budgetWithinRun(spec.budget, def.budget, steps);
      if (typeof budget === 'string') {
        return { type: 'fail', stepKey: spec.id, error: { code: 'step_failed', message: budget } };
      }
      const wd = spec.workingDirectory ?? def.defaults.workingDirectory;
      const timeoutMs = spec.timeoutMs ?? def.defaults.timeoutMs;
      const a = spec.agent;
      return {
        type: 'queue',
        stepKey: spec.id,
        spec: {
          command: '',
          cwd: joinPath(run.baseDir, wd === undefined ? undefined : renderTemplate(wd, ctx)),
          env: { ...workflowEnv, ...renderEnv(spec.env, ctx) },
          dryRun: run.dryRun,
          workflowName: run.workflowName,
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          agent: {
            workspaceId: run.workspaceId,
            role: a.role ?? null,
            runtime: a.runtime ?? null,
            model: a.model ?? null,
            ...(a.endpoint === undefined ? {} : { endpoint: a.endpoint }),
            ...(a.continue === undefined ? {} : { continueStep: a.continue }),
            ...(a.secrets === undefined ? {} : { secrets: a.secrets }),
            ...(a.source === undefined
              ? {}
              : {
                  source: {
                    repository: renderTemplate(a.source.repository, ctx),
                    ...(a.source.branch === undefined
                      ? {}
                      : { branch: renderTemplate(a.source.branch, ctx) }),
                  },
                }),
            ...(def.budget === undefined ? {} : { runBudget: def.budget }),
            prompt: renderTemplate(a.prompt, ctx),
            ...(a.maxTurns === undefined ? {} : { maxTurns: a.maxTurns }),
            ...(a.allowedTools === undefined ? {} : { allowedTools: a.allowedTools }),
            ...(a.disallowedTools === undefined ? {} : { disallowedTools: a.disallowedTools }),
            ...(a.commit === undefined
              ? {}
              : {
                  commit: {
                    push: a.commit.push,
                    onFailure: a.commit.onFailure,
                    ...(a.commit.message === undefined
                      ? {}
                      : { message: renderTemplate(a.commit.message, ctx) }),
                    ...(a.commit.repository === undefined
                      ? {}
                      : { repository: renderTemplate(a.commit.repository, ctx) }),
                  },
                }),
            budget,
          },
        },
      };
    }
    case 'approval': {
      const message = spec.approval.message
        ? renderTemplate(spec.approval.message, ctx)
        : `Approve step ${spec.id}?`;
      if (run.dryRun)
        return {
          type: 'complete',
          stepKey: spec.id,
          outputs: { approved: true, dry_run: true },
          note: `[dry-run] would ask for approval: ${message}`,
        };
      return {
        type: 'await_approval',
        stepKey: spec.id,
        message,
        dueAt: spec.approval.timeoutMs === undefined ? null : now + spec.approval.timeoutMs,
        default: spec.approval.default,
        approvers: spec.approval.approvers ?? [],
      };
    }
    case 'wait': {
      if (spec.wait.event !== undefined) {
        if (run.dryRun)
          return {
            type: 'complete',
            stepKey: spec.id,
            outputs: {},
            note: `[dry-run] would wait for an event ${spec.wait.event}`,
          };
        return {
          type: 'event_wait',
          stepKey: spec.id,
          event: spec.wait.event,
          if: spec.wait.if ?? null,
          dueAt: spec.timeoutMs === undefined ? null : now + spec.timeoutMs,
        };
      }
      let dueAt: number;
      if (spec.wait.until !== undefined) {
        const text = renderTemplate(spec.wait.until, ctx);
        dueAt = Date.parse(text);
        if (Number.isNaN(dueAt))
          throw new Error(`wait.until rendered to ${JSON.stringify(text)}, which is not an ISO-8601 time`);
      } else {
        dueAt = now + (spec.wait.durationMs ?? 0);
      }
      if (run.dryRun)
        return {
          type: 'complete',
          stepKey: spec.id,
          outputs: {},
          note: `[dry-run] would wait until ${new Date(dueAt).toISOString()}`,
        };
      return { type: 'timer', stepKey: spec.id, dueAt };
    }
    case 'uses': {
      const timeoutMs = spec.timeoutMs ?? def.defaults.timeoutMs;
      const retry = spec.retry ?? def.defaults.retry;
      return {
        type: 'queue',
        stepKey: spec.id,
        spec: {
          command: '',
          cwd: joinPath(run.baseDir, undefined),
          env: { ...workflowEnv, ...renderEnv(spec.env, ctx) },
          dryRun: run.dryRun,
          workflowName: run.workflowName,
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          failureRetries: retry?.on.includes('failure') ? retry.max : 0,
          uses: {
            action: spec.uses,
            with: renderValue(spec.with, ctx) as Record<string, unknown>,
            workspaceId: run.workspaceId,
          },
        },
      };
    }
    case 'workflow': {
      const w = spec.workflow;
      // the child's name may be a template (`{{ inputs.work }}`): the workflow a run chooses
      const name = w.name.includes('{{') ? renderTemplate(w.name, ctx).trim() : w.name;
      if (w.forEach === undefined) {
        return {
          type: 'children',
          stepKey: spec.id,
          workflow: name,
          items: [renderValue(w.inputs, ctx) as Record<string, unknown>],
        };
      }
      const list: unknown = evaluateExpression(w.forEach, ctx);
      if (!Array.isArray(list))
        throw new Error(`for_each ${JSON.stringify(w.forEach)} must yield a list, got ${typeof list}`);
      const as = w.as ?? 'item';
      const items = (list as unknown[]).map(
        (item, index) => renderValue(w.inputs, { ...ctx, [as]: item, index }) as Record<string, unknown>,
      );
      return { type: 'children', stepKey: spec.id, workflow: name, items };
    }
    default:
      return assertExhaustive(spec, 'step kind');
  }
}
