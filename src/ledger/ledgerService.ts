import { BatonError } from '../domain/errors.ts';
import { uuidv7 } from '../domain/ids.ts';
import type { CreateTaskBody, PatchTaskBody } from './ledgerSchemas.ts';
import type { LedgerStore } from './ledgerStore.ts';
import { isFinished, type LedgerTask } from './ledgerTypes.ts';
import { assertTransition } from './transitions.ts';

export interface TaskChange {
  task: LedgerTask;
  /** the row just entered `awaiting_approval` with a pending approval: notify */
  enteredApproval: boolean;
}

function checkTimes(t: LedgerTask): void {
  if (t.finishedAt !== null && t.finishedAt < t.startedAt) {
    throw new BatonError('invalid_input', 'finished_at is before started_at', {
      field: 'finished_at',
      hint: 'send both as ISO-8601 date-times; a date-time without an offset is UTC',
    });
  }
}

/** `POST /agents/tasks/`: a new row; started_at defaults to now, finished_at to now for a final status. */
export async function createTask(
  ledger: LedgerStore,
  b: CreateTaskBody,
  now: number,
  workspaceId: string,
): Promise<TaskChange> {
  const startedAt = b.started_at ?? now;
  const finishedAt = b.finished_at ?? (isFinished(b.status) ? Math.max(now, startedAt) : null);
  const approvalState = b.approval_state ?? (b.status === 'awaiting_approval' ? 'pending' : null);
  const task: LedgerTask = {
    id: uuidv7(now),
    task: b.task,
    runId: b.run_id ?? null,
    stepId: null,
    status: b.status,
    startedAt,
    finishedAt,
    durationMs: b.duration_ms ?? (finishedAt === null ? null : finishedAt - startedAt),
    inputs: b.inputs ?? null,
    outputsUri: b.outputs_uri ?? null,
    logExcerpt: b.log_excerpt ?? null,
    approvalState,
    approver: b.approver ?? null,
    webhookNotifiedAt: null,
    webhookError: null,
    createdAt: now,
    updatedAt: now,
    workspaceId,
  };
  checkTimes(task);
  await ledger.insertTask(task);
  return { task, enteredApproval: task.status === 'awaiting_approval' && approvalState === 'pending' };
}

/**
 * `PATCH /agents/tasks/{id}`: a partial update with the status transition checked. Entering
 * `running` from `queued` (or a retry) starts the clock; a final status stops it and computes
 * `duration_ms`; entering `awaiting_approval` opens a pending approval (and a new notification).
 */
export async function patchTask(
  ledger: LedgerStore,
  id: string,
  p: PatchTaskBody,
  now: number,
): Promise<TaskChange> {
  // a concurrent update makes the compare-and-set fail (SQLite has no row lock): read again
  for (let attempt = 1; ; attempt++) {
    try {
      return await patchOnce(ledger, id, p, now);
    } catch (e) {
      if (!(e instanceof BatonError && e.code === 'conflict' && e.retryable) || attempt >= 5) throw e;
    }
  }
}

function patchOnce(ledger: LedgerStore, id: string, p: PatchTaskBody, now: number): Promise<TaskChange> {
  return ledger.transaction(async (tx) => {
    const cur = await tx.getTask(id);
    if (!cur) throw new BatonError('not_found', `no task ${id}`, { field: 'id' });
    if (cur.stepId !== null) {
      throw new BatonError('conflict', `task ${id} mirrors a step Baton runs and follows that step`, {
        field: 'id',
        hint: 'change the run instead: baton approve|reject|retry|cancel, or the /api/v1/runs endpoints',
      });
    }
    const to = p.status ?? cur.status;
    assertTransition(cur.status, to);
    const next: LedgerTask = {
      ...cur,
      task: p.task ?? cur.task,
      runId: p.run_id === undefined ? cur.runId : p.run_id,
      status: to,
      inputs: p.inputs === undefined ? cur.inputs : p.inputs,
      outputsUri: p.outputs_uri === undefined ? cur.outputsUri : p.outputs_uri,
      logExcerpt: p.log_excerpt === undefined ? cur.logExcerpt : p.log_excerpt,
      approvalState: p.approval_state === undefined ? cur.approvalState : p.approval_state,
      approver: p.approver === undefined ? cur.approver : p.approver,
      updatedAt: Math.max(now, cur.updatedAt + 1),
    };
    const changed = to !== cur.status;
    if (changed && to === 'running' && (cur.status === 'queued' || cur.status === 'failed'))
      next.startedAt = now;
    if (changed && !isFinished(to)) next.finishedAt = null;
    if (changed && isFinished(to)) next.finishedAt = Math.max(now, next.startedAt);
    if (p.started_at !== undefined) next.startedAt = p.started_at;
    if (p.finished_at !== undefined) next.finishedAt = p.finished_at;
    if (isFinished(to) && next.finishedAt === null) next.finishedAt = Math.max(now, next.startedAt);
    next.durationMs =
      p.duration_ms !== undefined
        ? p.duration_ms
        : next.finishedAt === null
          ? null
          : next.finishedAt - next.startedAt;
    let enteredApproval = false;
    if (changed && to === 'awaiting_approval') {
      next.approvalState = p.approval_state ?? 'pending';
      next.approver = p.approver ?? null;
      next.webhookNotifiedAt = null;
      next.webhookError = null;
      enteredApproval = next.approvalState === 'pending';
    }
    checkTimes(next);
    const { id: _id, stepId: _s, createdAt: _c, webhookNotifiedAt, webhookError, ...rest } = next;
    const patch: Partial<LedgerTask> = enteredApproval ? { ...rest, webhookNotifiedAt, webhookError } : rest;
    if (!(await tx.updateTask(id, patch, cur.updatedAt))) {
      throw new BatonError('conflict', `task ${id} changed while it was being updated`, {
        retryable: true,
        hint: 'retry the request',
      });
    }
    return { task: next, enteredApproval };
  });
}
