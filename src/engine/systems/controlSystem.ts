import { BatonError } from '../../domain/errors.ts';
import type { RunRecord } from '../../domain/records.ts';
import { isTerminalRun } from '../../domain/runStatus.ts';
import { isTerminalStep } from '../../domain/stepStatus.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import { isAgentApproval } from './agentApprovalSystem.ts';
import type { StoreTx } from '../ports/store.ts';
import { advanceRun, finishRun } from './advanceSystem.ts';
import { findStep } from './findStep.ts';
import { resetSteps } from './resetSteps.ts';
import { admitQueued, tryAdmit } from './runSystem.ts';
import { finishStep } from './stepOutcomeSystem.ts';

export interface Actor {
  by: string;
  reason?: string;
  /** aborts the command before its transaction starts (client gone, shutdown) */
  signal?: AbortSignal;
}

async function loadRun(tx: StoreTx, runId: string): Promise<RunRecord> {
  const run = await tx.getRun(runId);
  if (!run) throw new BatonError('not_found', `run ${runId} does not exist`, { field: 'run' });
  return run;
}

/**
 * Cancel: the run's status is the one source of truth (DESIGN §3.7). Steps not yet running are
 * cancelled now; leased steps are killed by their runner at its next heartbeat; children follow.
 */
export async function cancelRun(deps: EngineDeps, tx: StoreTx, runId: string, a: Actor): Promise<RunRecord> {
  const run = await loadRun(tx, runId);
  if (isTerminalRun(run.status)) {
    throw new BatonError('invalid_state', `run ${runId} already ${run.status}`, { field: 'run' });
  }
  const now = deps.clock.now();
  const error = {
    code: 'cancelled' as const,
    message: `cancelled by ${a.by}${a.reason ? `: ${a.reason}` : ''}`,
  };
  for (const s of await tx.listSteps(runId)) {
    if (isTerminalStep(s.status)) continue;
    const wait = await tx.getPendingWait(s.id);
    if (s.status === 'running' && s.leaseOwner) {
      // the runner stops the step; a question it asked (a Jules plan) leaves the inbox now
      if (wait && isAgentApproval(wait))
        await tx.resolveWait(wait.id, {
          status: 'cancelled',
          decidedBy: a.by,
          decidedAt: now,
          comment: a.reason ?? null,
        });
      continue;
    }
    if (wait)
      await tx.resolveWait(wait.id, {
        status: 'cancelled',
        decidedBy: a.by,
        decidedAt: now,
        comment: a.reason ?? null,
      });
    await tx.updateStep(s.id, { status: 'cancelled', finishedAt: now, updatedAt: now, error });
    await tx.insertEvents([ev('step.cancelled', runId, s.id, { step: s.stepKey, by: a.by })], now);
    if (s.kind === 'workflow') {
      for (const child of await tx.listChildRuns(s.id)) {
        if (!isTerminalRun(child.status))
          await cancelRun(deps, tx, child.id, { by: a.by, reason: `parent run ${runId} cancelled` });
      }
    }
  }
  await finishRun(deps, tx, run, 'cancelled', null, error);
  tx.afterCommit(() => deps.hints.runCancelled(runId));
  return loadRun(tx, runId);
}

/** Pause: no new step of the run starts; steps already running finish. */
export async function pauseRun(deps: EngineDeps, tx: StoreTx, runId: string, a: Actor): Promise<RunRecord> {
  const run = await loadRun(tx, runId);
  const now = deps.clock.now();
  if (
    !(await tx.updateRun(runId, { status: 'paused', updatedAt: now }, [
      'queued',
      'running',
      'awaiting_approval',
    ]))
  ) {
    throw new BatonError(
      'invalid_state',
      `run ${runId} is ${run.status}; only queued or running runs can be paused`,
      { field: 'run' },
    );
  }
  await tx.insertEvents(
    [ev('run.paused', runId, null, { by: a.by, reason: a.reason ?? null, from: run.status })],
    now,
  );
  return loadRun(tx, runId);
}

export async function resumeRun(deps: EngineDeps, tx: StoreTx, runId: string, a: Actor): Promise<RunRecord> {
  const run = await loadRun(tx, runId);
  if (run.status !== 'paused')
    throw new BatonError('invalid_state', `run ${runId} is ${run.status}, not paused`, { field: 'run' });
  const now = deps.clock.now();
  const admitted = run.startedAt !== null;
  await tx.updateRun(runId, { status: admitted ? 'running' : 'queued', updatedAt: now }, ['paused']);
  await tx.insertEvents([ev('run.resumed', runId, null, { by: a.by, reason: a.reason ?? null })], now);
  if (admitted) await advanceRun(deps, tx, runId);
  else await tryAdmit(deps, tx, { ...run, status: 'queued' });
  tx.afterCommit(deps.hints.workAvailable);
  return loadRun(tx, runId);
}

/** Retry a failed (or cancelled/skipped) step: it and the steps it had blocked run again. */
export async function retryStep(
  deps: EngineDeps,
  tx: StoreTx,
  runId: string,
  stepKey: string,
  a: Actor,
): Promise<RunRecord> {
  const run = await loadRun(tx, runId);
  const step = await findStep(tx, runId, stepKey);
  if (!['failed', 'cancelled', 'skipped'].includes(step.status)) {
    throw new BatonError(
      'invalid_state',
      `step ${stepKey} is ${step.status}; only failed, cancelled or skipped steps can be retried`,
      { field: 'step' },
    );
  }
  if (run.status === 'succeeded' || run.status === 'queued') {
    throw new BatonError('invalid_state', `run ${runId} is ${run.status}; nothing to retry`, {
      field: 'run',
    });
  }
  const now = deps.clock.now();
  const steps = await tx.listSteps(runId);
  await resetSteps(
    deps,
    tx,
    run,
    steps,
    stepKey,
    'retry',
    (s) => s.stepKey === stepKey || ['failed', 'cancelled', 'skipped'].includes(s.status),
  );
  if (isTerminalRun(run.status)) {
    await tx.updateRun(
      runId,
      { status: 'running', finishedAt: null, error: null, outputs: null, updatedAt: now },
      ['failed', 'cancelled'],
    );
  }
  await tx.insertEvents(
    [
      ev('step.reset', runId, step.id, {
        step: stepKey,
        by: a.by,
        reason: a.reason ?? null,
        why: 'manual retry',
      }),
    ],
    now,
  );
  await advanceRun(deps, tx, runId);
  return loadRun(tx, runId);
}

/**
 * Force-advance: settle the blocking step(s) — an approval, a timer, a child wait, a failed step —
 * as succeeded (marked `forced`), and let the run continue. Leased steps must be cancelled first.
 */
export async function forceAdvance(
  deps: EngineDeps,
  tx: StoreTx,
  runId: string,
  stepKey: string | undefined,
  a: Actor,
): Promise<RunRecord> {
  const run = await loadRun(tx, runId);
  if (run.status === 'succeeded' || run.status === 'cancelled') {
    throw new BatonError('invalid_state', `run ${runId} is ${run.status}; nothing to advance`, {
      field: 'run',
    });
  }
  const steps = stepKey ? [await findStep(tx, runId, stepKey)] : await tx.listSteps(runId);
  const blocking = steps.filter(
    (s) => ['awaiting_approval', 'failed'].includes(s.status) || (s.status === 'running' && !s.leaseOwner),
  );
  if (stepKey && steps[0]?.status === 'running' && steps[0].leaseOwner) {
    throw new BatonError(
      'invalid_state',
      `step ${stepKey} is running on ${steps[0].leaseOwner}; cancel the run or wait for it`,
      { field: 'step' },
    );
  }
  if (blocking.length === 0)
    throw new BatonError('invalid_state', `run ${runId} has no blocked step to advance`, { field: 'step' });
  const now = deps.clock.now();
  if (run.status === 'failed') {
    await tx.updateRun(runId, { status: 'running', finishedAt: null, error: null, updatedAt: now }, [
      'failed',
    ]);
  }
  for (const s of blocking) {
    const wait = await tx.getPendingWait(s.id);
    if (wait)
      await tx.resolveWait(wait.id, {
        status: 'resolved',
        decidedBy: a.by,
        decidedAt: now,
        comment: a.reason ?? 'force-advanced',
      });
    if (s.status === 'failed') {
      await tx.updateStep(s.id, { status: 'running', updatedAt: now }, { status: ['failed'] });
    }
    await tx.updateStep(s.id, { forced: true, updatedAt: now });
    await tx.insertEvents(
      [
        ev('step.forced', runId, s.id, {
          step: s.stepKey,
          from: s.status,
          by: a.by,
          reason: a.reason ?? null,
        }),
      ],
      now,
    );
    await finishStep(deps, tx, s.id, { outcome: 'success', outputs: { ...(s.outputs ?? {}), forced: true } });
  }
  return loadRun(tx, runId);
}

export interface QueuePatch {
  paused?: boolean;
  reason?: string | null;
  maxConcurrent?: number | null;
  stopOnFailure?: boolean;
}

export async function updateQueue(deps: EngineDeps, tx: StoreTx, p: QueuePatch, a: Actor): Promise<void> {
  if (
    p.maxConcurrent !== undefined &&
    p.maxConcurrent !== null &&
    (!Number.isInteger(p.maxConcurrent) || p.maxConcurrent < 1)
  ) {
    throw new BatonError(
      'invalid_input',
      `max_concurrent must be a positive integer or null, got ${p.maxConcurrent}`,
      { field: 'max_concurrent' },
    );
  }
  const now = deps.clock.now();
  await tx.updateQueueSettings({
    paused: p.paused,
    pausedReason: p.paused === undefined ? undefined : p.paused ? (p.reason ?? `paused by ${a.by}`) : null,
    maxConcurrent: p.maxConcurrent,
    stopOnFailure: p.stopOnFailure,
    updatedAt: now,
  });
  await tx.insertEvents([ev('queue.updated', null, null, { ...p, by: a.by })], now);
  tx.afterCommit(deps.hints.queueChanged);
}

export async function setKeyLimit(
  deps: EngineDeps,
  tx: StoreTx,
  key: string,
  limit: number | null,
  a: Actor,
): Promise<void> {
  if (limit !== null && (!Number.isInteger(limit) || limit < 1)) {
    throw new BatonError('invalid_input', `limit must be a positive integer or null, got ${limit}`, {
      field: 'limit',
    });
  }
  const now = deps.clock.now();
  await tx.setConcurrencyLimit(key, limit, now);
  await tx.insertEvents([ev('queue.updated', null, null, { key, limit, by: a.by })], now);
  await admitQueued(deps, tx, key);
}
