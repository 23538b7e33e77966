import { BatonError } from '../../domain/errors.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import type { StoreTx } from '../ports/store.ts';
import { finishStep } from './stepOutcomeSystem.ts';
import { findStep } from './findStep.ts';
import { decideAgentApproval, isAgentApproval } from './agentApprovalSystem.ts';

export interface Decision {
  by: string;
  comment?: string;
}

/** approve / reject an approval step (who, when, comment), exactly once. */
export async function decideApproval(
  deps: EngineDeps,
  tx: StoreTx,
  runId: string,
  stepKey: string,
  approve: boolean,
  d: Decision,
): Promise<void> {
  const step = await findStep(tx, runId, stepKey);
  const wait = await tx.getPendingWait(step.id);
  const agentAsks = step.status === 'running' && wait !== undefined && isAgentApproval(wait);
  if ((step.status !== 'awaiting_approval' && !agentAsks) || !wait || wait.kind !== 'approval') {
    throw new BatonError(
      'invalid_state',
      `step ${stepKey} of run ${runId} is ${step.status}, not awaiting approval`,
      {
        field: 'step',
        hint: 'list pending approvals with `baton runs show <run>`',
      },
    );
  }
  const approvers = (wait.payload.approvers as string[] | undefined) ?? [];
  if (approvers.length && !approvers.includes(d.by)) {
    throw new BatonError(
      'invalid_input',
      `${d.by} may not decide step ${stepKey}; approvers are ${approvers.join(', ')}`,
      { field: 'by' },
    );
  }
  if (agentAsks) return decideAgentApproval(deps, tx, wait, stepKey, approve, d);
  await settleApproval(
    deps,
    tx,
    wait.id,
    step.id,
    runId,
    stepKey,
    approve ? 'approved' : 'rejected',
    d.by,
    d.comment ?? null,
  );
}

async function settleApproval(
  deps: EngineDeps,
  tx: StoreTx,
  waitId: string,
  stepId: string,
  runId: string,
  stepKey: string,
  status: 'approved' | 'rejected' | 'timed_out',
  by: string,
  comment: string | null,
  approved = status === 'approved',
): Promise<void> {
  const now = deps.clock.now();
  if (!(await tx.resolveWait(waitId, { status, decidedBy: by, decidedAt: now, comment }))) {
    throw new BatonError('conflict', `the approval of step ${stepKey} was already decided`);
  }
  await tx.insertEvents(
    [
      ev('approval.decided', runId, stepId, {
        step: stepKey,
        decision: status,
        approved,
        by,
        comment,
        at: now,
      }),
    ],
    now,
  );
  await finishStep(
    deps,
    tx,
    stepId,
    approved
      ? { outcome: 'success', outputs: { approved: true, decided_by: by, comment } }
      : {
          outcome: 'rejected',
          outputs: { approved: false, decided_by: by, comment },
          error: {
            code: 'approval_rejected',
            message: `${status === 'timed_out' ? 'approval timed out' : `rejected by ${by}`}${comment ? `: ${comment}` : ''}`,
          },
        },
  );
}

/** Fires due waits: approval timeouts take their default outcome; timers complete. */
export async function fireDueWaits(deps: EngineDeps, tx: StoreTx, limit = 100): Promise<number> {
  const now = deps.clock.now();
  const due = await tx.listDueWaits(now, limit);
  for (const w of due) {
    const step = await tx.getStep(w.stepId);
    if (!step) continue;
    if (w.kind === 'approval') {
      const approve = w.payload.default === 'approve';
      await settleApproval(
        deps,
        tx,
        w.id,
        w.stepId,
        w.runId,
        step.stepKey,
        'timed_out',
        'timeout',
        `no decision before the timeout; default: ${approve ? 'approve' : 'reject'}`,
        approve,
      );
    } else if (w.kind === 'timer') {
      if (!(await tx.resolveWait(w.id, { status: 'resolved', decidedAt: now, decidedBy: 'timer' }))) continue;
      await finishStep(deps, tx, w.stepId, {
        outcome: 'success',
        outputs: { waited_until: new Date(w.dueAt ?? now).toISOString() },
      });
    } else if (w.kind === 'event') {
      if (!(await tx.resolveWait(w.id, { status: 'timed_out', decidedAt: now, decidedBy: 'timeout' })))
        continue;
      await finishStep(deps, tx, w.stepId, {
        outcome: 'timeout',
        error: {
          code: 'step_timeout',
          message: `no ${String(w.payload.event)} event${typeof w.payload.if === 'string' ? ` matching ${w.payload.if}` : ''} before the timeout`,
        },
      });
    }
  }
  return due.length;
}
