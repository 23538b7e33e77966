import type { ErrorRecord } from '../../domain/errors.ts';
import { retryDelayMs } from '../../domain/backoff.ts';
import { evaluateExpression } from '../../domain/expressions/index.ts';
import type { RunRecord, StepRecord } from '../../domain/records.ts';
import { isTerminalRun } from '../../domain/runStatus.ts';
import type { StepOutcome, StepStatus } from '../../domain/stepStatus.ts';
import type { Route, StepSpec } from '../../domain/workflow/types.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import { buildContext } from '../planner/buildContext.ts';
import type { StoreTx } from '../ports/store.ts';
import { advanceRun } from './advanceSystem.ts';
import { resetSteps } from './resetSteps.ts';

export interface StepResult {
  outcome: StepOutcome;
  outputs?: Record<string, unknown> | null;
  error?: ErrorRecord | null;
  /** a rate-limited agent step: wait until then and run again (not a failure) */
  retryAt?: number;
}

/** How many times one agent step may wait out a rate limit before it fails like any failure. */
export const MAX_RATE_LIMIT_PARKS = 20;

const RETRYABLE: Partial<Record<StepOutcome, 'failure' | 'timeout' | 'lease_lost'>> = {
  failure: 'failure',
  timeout: 'timeout',
  lease_lost: 'lease_lost',
};

/**
 * The end of a step attempt (or of a wait): retry with backoff, route back (`on:`), or settle the
 * step; then re-plan the run. Runs inside the caller's transaction.
 */
export async function finishStep(
  deps: EngineDeps,
  tx: StoreTx,
  stepOrId: string | StepRecord,
  result: StepResult,
): Promise<void> {
  const step = typeof stepOrId === 'string' ? await tx.getStep(stepOrId) : stepOrId;
  if (!step) return;
  const stepId = step.id;
  const run = await tx.getRun(step.runId);
  if (!run) return;
  const now = deps.clock.now();
  const spec = run.definition.steps.find((s) => s.id === step.stepKey);
  const outputs = result.outputs ?? step.outputs ?? {};

  if (isTerminalRun(run.status)) {
    // The run ended (cancelled) while this attempt ran: record how the attempt ended, nothing more.
    await settle(
      tx,
      run,
      step,
      result.outcome === 'success' ? 'succeeded' : 'cancelled',
      result,
      outputs,
      now,
    );
    return;
  }

  // 0. a rate-limited agent waits for the provider's reset, then runs again by itself
  if (
    spec?.kind === 'agent' &&
    result.outcome === 'failure' &&
    result.retryAt !== undefined &&
    step.attempt < MAX_RATE_LIMIT_PARKS
  ) {
    const availableAt = Math.max(now, result.retryAt);
    await tx.updateStep(stepId, {
      status: 'queued',
      availableAt,
      outcome: result.outcome,
      error: result.error ?? null,
      leaseOwner: null,
      leaseExpiresAt: null,
      updatedAt: now,
    });
    await tx.insertEvents(
      [
        ev('step.rate_limited', run.id, stepId, {
          step: step.stepKey,
          attempt: step.attempt,
          resumesAt: new Date(availableAt).toISOString(),
          error: result.error ?? null,
        }),
      ],
      now,
    );
    tx.afterCommit(deps.hints.workAvailable);
    return;
  }

  // 1. retries (runnable steps only; cancellation and errors typed as permanent never retry)
  const policy =
    spec?.retry ??
    (spec?.kind === 'run' || spec?.kind === 'agent' || spec?.kind === 'uses'
      ? run.definition.defaults.retry
      : undefined);
  const retryKind = RETRYABLE[result.outcome];
  if (
    (spec?.kind === 'run' || spec?.kind === 'agent' || spec?.kind === 'uses') &&
    policy &&
    retryKind &&
    policy.on.includes(retryKind) &&
    step.failures < policy.max &&
    result.error?.retryable !== false
  ) {
    const failures = step.failures + 1;
    const delayMs = retryDelayMs(policy, failures, deps.random);
    await tx.updateStep(stepId, {
      status: 'queued',
      failures,
      availableAt: now + delayMs,
      outcome: result.outcome,
      error: result.error ?? null,
      leaseOwner: null,
      leaseExpiresAt: null,
      updatedAt: now,
    });
    await tx.insertEvents(
      [
        ev('step.retrying', run.id, stepId, {
          step: step.stepKey,
          outcome: result.outcome,
          failures,
          max: policy.max,
          delayMs,
          error: result.error ?? null,
        }),
      ],
      now,
    );
    tx.afterCommit(deps.hints.workAvailable);
    return;
  }

  // 2. outcome routing back to an earlier step, at most `max` times per route
  if (spec && result.outcome !== 'cancelled') {
    const taken = await tryRoute(deps, tx, run, step, spec, result, outputs);
    if (taken) return advanceRun(deps, tx, run.id);
  }

  // 3. settle
  const status =
    result.outcome === 'success' ? 'succeeded' : result.outcome === 'cancelled' ? 'cancelled' : 'failed';
  await settle(tx, run, step, status, result, outputs, now);
  await advanceRun(deps, tx, run.id, run);
}

async function settle(
  tx: StoreTx,
  run: RunRecord,
  step: StepRecord,
  status: 'succeeded' | 'failed' | 'cancelled',
  result: StepResult,
  outputs: Record<string, unknown>,
  now: number,
): Promise<void> {
  const error = result.error ?? null;
  await tx.updateStep(step.id, {
    status,
    outcome: result.outcome,
    outputs,
    error,
    finishedAt: now,
    updatedAt: now,
    leaseOwner: null,
    leaseExpiresAt: null,
  });
  await tx.insertEvents(
    [ev(`step.${status}`, run.id, step.id, { step: step.stepKey, outcome: result.outcome, outputs, error })],
    now,
  );
}

function routeMatches(r: Route, outcome: StepOutcome): boolean {
  if (r.outcome === 'any') return true;
  if (r.outcome === 'failure') return outcome === 'failure' || outcome === 'lease_lost';
  return r.outcome === outcome;
}

async function tryRoute(
  deps: EngineDeps,
  tx: StoreTx,
  run: RunRecord,
  step: StepRecord,
  spec: StepSpec,
  result: StepResult,
  outputs: Record<string, unknown>,
): Promise<boolean> {
  if (spec.on.length === 0) return false;
  const steps = await tx.listSteps(run.id);
  const status: StepStatus = result.outcome === 'success' ? 'succeeded' : 'failed';
  const ctx = buildContext(
    run,
    steps.map((s) => (s.id === step.id ? { ...s, status, outcome: result.outcome, outputs } : s)),
    {},
  );
  for (const route of spec.on) {
    if (!routeMatches(route, result.outcome)) continue;
    if (route.if !== undefined && evaluateExpression(route.if, ctx) !== true) continue;
    const key = `${step.stepKey}->${route.goto}`;
    const count = run.loopCounts[key] ?? 0;
    const now = deps.clock.now();
    if (count >= route.max) {
      await tx.insertEvents(
        [
          ev('step.routed', run.id, step.id, {
            step: step.stepKey,
            goto: route.goto,
            taken: false,
            count,
            max: route.max,
            reason: 'loop limit reached',
          }),
        ],
        now,
      );
      continue;
    }
    const loopCounts = { ...run.loopCounts, [key]: count + 1 };
    await tx.updateRun(run.id, { loopCounts, updatedAt: now });
    // the routing step keeps a record of this pass in its attempt history; the state is reset
    await resetSteps(deps, tx, run, steps, route.goto, 'route');
    await tx.insertEvents(
      [
        ev('step.routed', run.id, step.id, {
          step: step.stepKey,
          goto: route.goto,
          taken: true,
          count: count + 1,
          max: route.max,
          outcome: result.outcome,
        }),
      ],
      now,
    );
    return true;
  }
  return false;
}
