import { BatonError } from '../../domain/errors.ts';
import type { WaitRecord } from '../../domain/records.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import type { LeaseFence, StoreTx } from '../ports/store.ts';

/** The payload `kind` of an approval a running agent step asks for (a Jules plan). */
export const AGENT_APPROVAL = 'agent_plan';

export interface AgentApprovalRequest {
  fence: LeaseFence;
  /** what is to be approved, stable across attempts (the plan's id): a repeated request finds its wait */
  key: string;
  message: string;
  /** shown to the approver (the plan's steps) */
  details: Record<string, unknown>;
}

export function isAgentApproval(w: Pick<WaitRecord, 'kind' | 'payload'>): boolean {
  return w.kind === 'approval' && w.payload.kind === AGENT_APPROVAL;
}

/**
 * A running agent step asks for a human decision (a Jules plan): an approval wait on the step, in
 * the inbox like any approval, while the step keeps its lease. Asking again for the same key (a
 * later attempt after a crash) returns the wait already there, decided or not.
 */
export async function requestAgentApproval(
  deps: EngineDeps,
  tx: StoreTx,
  r: AgentApprovalRequest,
): Promise<WaitRecord> {
  const step = await tx.getStep(r.fence.stepId);
  if (
    !step ||
    step.status !== 'running' ||
    step.leaseOwner !== r.fence.owner ||
    step.attempt !== r.fence.attempt
  ) {
    throw new BatonError(
      'conflict',
      `step ${r.fence.stepId} no longer holds this lease; not asking for approval`,
    );
  }
  const existing = (await tx.listWaits(step.runId)).find(
    (w) => w.stepId === step.id && isAgentApproval(w) && w.payload.key === r.key && w.status !== 'cancelled',
  );
  if (existing) return existing;
  const now = deps.clock.now();
  const wait: WaitRecord = {
    id: deps.newId(),
    runId: step.runId,
    stepId: step.id,
    kind: 'approval',
    status: 'pending',
    dueAt: null,
    payload: { kind: AGENT_APPROVAL, key: r.key, message: r.message, step: step.stepKey, ...r.details },
    decidedBy: null,
    decidedAt: null,
    comment: null,
    createdAt: now,
  };
  await tx.insertWait(wait);
  await tx.insertEvents(
    [
      ev('step.awaiting_approval', step.runId, step.id, {
        step: step.stepKey,
        message: r.message,
        key: r.key,
      }),
    ],
    now,
  );
  return wait;
}

/** Decides an agent step's approval: only the wait changes; the running step reads the decision. */
export async function decideAgentApproval(
  deps: EngineDeps,
  tx: StoreTx,
  wait: WaitRecord,
  stepKey: string,
  approve: boolean,
  d: { by: string; comment?: string },
): Promise<void> {
  const now = deps.clock.now();
  const status = approve ? 'approved' : 'rejected';
  const comment = d.comment ?? null;
  if (!(await tx.resolveWait(wait.id, { status, decidedBy: d.by, decidedAt: now, comment }))) {
    throw new BatonError('conflict', `the approval of step ${stepKey} was already decided`);
  }
  await tx.insertEvents(
    [
      ev('approval.decided', wait.runId, wait.stepId, {
        step: stepKey,
        decision: status,
        approved: approve,
        by: d.by,
        comment,
        at: now,
        key: wait.payload.key ?? null,
      }),
    ],
    now,
  );
}
