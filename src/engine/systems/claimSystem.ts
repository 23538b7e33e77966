import type { ErrorRecord } from '../../domain/errors.ts';
import type { StepRecord } from '../../domain/records.ts';
import type { StepOutcome } from '../../domain/stepStatus.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import type { LeaseFence, StoreTx } from '../ports/store.ts';
import { createPoolGate } from './agentPools.ts';
import { finishStep } from './stepOutcomeSystem.ts';

/**
 * Claim rounds per pass: a round after the first claims in place of the agent steps the previous
 * one handed back to full pools (a deep backlog of waiting agent steps is worked through over passes).
 */
export const MAX_CLAIM_ROUNDS = 8;

/**
 * Claims up to `slots` ready steps for `owner`, honouring the queue's pause, `max_concurrent` and
 * the concurrency limits of agent pools (agentPools.ts), and opens an attempt row for each — all
 * in the caller's transaction.
 */
export async function claimWork(
  deps: EngineDeps,
  tx: StoreTx,
  owner: string,
  slots: number,
  /** false when the worker knows no `max_concurrent` is set (it re-reads the settings every pass) */
  limited = true,
): Promise<StepRecord[]> {
  if (slots <= 0) return [];
  const now = deps.clock.now();
  let limit = slots;
  // the queue pause is checked inside the claim statement itself; the global limit needs a count
  if (limited) {
    const q = await tx.getQueueSettings();
    if (q.paused) return [];
    if (q.maxConcurrent !== null) {
      await tx.lock('queue:max_concurrent');
      limit = Math.min(limit, q.maxConcurrent - (await tx.countLeasedSteps(now)));
      if (limit <= 0) return [];
    }
  }
  // agent pools: steps over their pool's limit go back to the queue; their slots claim other work
  const gate = createPoolGate(deps, tx, owner, now);
  const claimed: StepRecord[] = [];
  let want = limit;
  for (let round = 0; round < MAX_CLAIM_ROUNDS && want > 0; round++) {
    const got = await tx.claimSteps(owner, now, deps.config.leaseMs, want);
    const { kept, deferred } = await gate.admit(got);
    claimed.push(...kept);
    if (deferred === 0 || got.length < want) break;
    want = deferred;
  }
  if (claimed.length) {
    await tx.insertAttempts(
      claimed.map((s) => ({
        stepId: s.id,
        runId: s.runId,
        attempt: s.attempt,
        iteration: s.iteration,
        owner,
        status: 'running' as const,
        exitCode: null,
        error: null,
        outputs: null,
        startedAt: now,
        finishedAt: null,
      })),
    );
  }
  if (claimed.length) {
    await tx.insertEvents(
      claimed.map((s) => ev('step.started', s.runId, s.id, { step: s.stepKey, attempt: s.attempt, owner })),
      now,
    );
  }
  return claimed;
}

export interface AttemptResult {
  fence: LeaseFence;
  outcome: StepOutcome;
  exitCode: number | null;
  outputs: Record<string, unknown>;
  error: ErrorRecord | null;
  /** a rate limit: run again then (see finishStep) */
  retryAt?: number;
}

const ATTEMPT_STATUS = {
  success: 'succeeded',
  failure: 'failed',
  timeout: 'timed_out',
  cancelled: 'cancelled',
  rejected: 'failed',
  lease_lost: 'lease_expired',
} as const;

/**
 * Records a finished attempt behind its lease fence (DESIGN §3.2). Returns false — and changes
 * nothing — when the lease was lost (reclaimed by another runner, or the step was reset).
 */
export async function completeAttempt(deps: EngineDeps, tx: StoreTx, r: AttemptResult): Promise<boolean> {
  const now = deps.clock.now();
  const step = await tx.releaseLease(r.fence, now);
  if (!step) return false;
  await tx.finishAttempt(r.fence.stepId, r.fence.attempt, {
    status: ATTEMPT_STATUS[r.outcome],
    exitCode: r.exitCode,
    error: r.error,
    outputs: r.outputs,
    finishedAt: now,
  });
  await finishStep(deps, tx, step, {
    outcome: r.outcome,
    outputs: r.outputs,
    error: r.error,
    ...(r.retryAt === undefined ? {} : { retryAt: r.retryAt }),
  });
  return true;
}

/**
 * Expired leases (their runner died or stalled): the attempt is closed as `lease_expired` and the
 * step goes back to the queue — reclaimed as a new attempt by the next claim. Steps of cancelled
 * runs are settled instead; a step that keeps losing its lease fails with `lease_lost`.
 */
export async function reclaimExpired(deps: EngineDeps, tx: StoreTx, limit = 100): Promise<number> {
  const now = deps.clock.now();
  const expired = await tx.listExpiredLeases(now, limit);
  for (const s of expired) {
    const fence = { stepId: s.id, owner: s.leaseOwner ?? '', attempt: s.attempt };
    const error: ErrorRecord = {
      code: 'lease_lost',
      message: `lease of ${s.leaseOwner ?? 'unknown runner'} expired (attempt ${s.attempt})`,
      retryable: true,
    };
    const moved = await tx.updateStep(
      s.id,
      {
        status: 'queued',
        leaseOwner: null,
        leaseExpiresAt: null,
        reclaims: s.reclaims + 1,
        availableAt: now,
        updatedAt: now,
      },
      { fence, status: ['running'] },
    );
    if (!moved) continue;
    await tx.finishAttempt(s.id, s.attempt, { status: 'lease_expired', error, finishedAt: now });
    await tx.insertEvents(
      [
        ev('step.reclaimed', s.runId, s.id, {
          step: s.stepKey,
          attempt: s.attempt,
          owner: s.leaseOwner,
          reclaims: s.reclaims + 1,
        }),
      ],
      now,
    );
    const run = await tx.getRun(s.runId);
    if (run?.status === 'cancelled') {
      await finishStep(deps, tx, s.id, {
        outcome: 'cancelled',
        error: { code: 'cancelled', message: 'run cancelled' },
      });
    } else if (s.reclaims + 1 >= deps.config.maxReclaims) {
      await finishStep(deps, tx, s.id, {
        outcome: 'lease_lost',
        error: { ...error, message: `${error.message}; gave up after ${s.reclaims + 1} lost leases` },
      });
    }
  }
  if (expired.length) tx.afterCommit(deps.hints.workAvailable);
  return expired.length;
}
