import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import type { LeaseFence, StoreTx } from '../ports/store.ts';

/** A runner shutting down hands its step back to the queue as a new attempt (not a failure). */
export async function releaseAttempt(
  deps: EngineDeps,
  tx: StoreTx,
  fence: LeaseFence,
  reason: string,
): Promise<boolean> {
  const now = deps.clock.now();
  const ok = await tx.updateStep(
    fence.stepId,
    { status: 'queued', leaseOwner: null, leaseExpiresAt: null, availableAt: now, updatedAt: now },
    { fence, status: ['running'] },
  );
  if (!ok) return false;
  await tx.finishAttempt(fence.stepId, fence.attempt, {
    status: 'cancelled',
    error: { code: 'cancelled', message: reason, retryable: true },
    finishedAt: now,
  });
  const step = await tx.getStep(fence.stepId);
  await tx.insertEvents(
    [
      ev('step.reclaimed', step?.runId ?? null, fence.stepId, {
        step: step?.stepKey,
        attempt: fence.attempt,
        reason,
      }),
    ],
    now,
  );
  tx.afterCommit(deps.hints.workAvailable);
  return true;
}
