import { BatonError, toErrorRecord } from '../../domain/errors.ts';
import type { RunRecord, StepRecord } from '../../domain/records.ts';
import { isTerminalRun } from '../../domain/runStatus.ts';
import { assertExhaustive } from '../../domain/assertExhaustive.ts';
import type { EngineDeps } from '../engineDeps.ts';
import { ev } from '../events.ts';
import type { StoreTx } from '../ports/store.ts';
import { planRun, type Decision } from '../planner/planRun.ts';
import { createRunInTx, admitQueued } from './runSystem.ts';
import { childRunFinished } from './childSystem.ts';

/** Re-plans a run after any change and applies the decisions in the caller's transaction. */
export async function advanceRun(
  deps: EngineDeps,
  tx: StoreTx,
  runId: string,
  current?: RunRecord,
): Promise<void> {
  // `current`: the caller read the run in this transaction and has not changed it since
  const run = current ?? (await tx.getRun(runId));
  if (!run || isTerminalRun(run.status) || run.status === 'queued') return;
  const steps = await tx.listSteps(runId);
  const decisions = planRun({ run, steps, now: deps.clock.now() });
  const byKey = new Map(steps.map((s) => [s.stepKey, s]));
  for (const d of decisions) await apply(deps, tx, run, byKey, d);
}

async function apply(
  deps: EngineDeps,
  tx: StoreTx,
  run: RunRecord,
  byKey: Map<string, StepRecord>,
  d: Decision,
): Promise<void> {
  const now = deps.clock.now();
  if (d.type === 'finish_run') return finishRun(deps, tx, run, d.status, d.outputs, d.error);
  if (d.type === 'run_status') {
    if (await tx.updateRun(run.id, { status: d.status, updatedAt: now }, ['running', 'awaiting_approval'])) {
      await tx.insertEvents([ev('run.status', run.id, null, { status: d.status })], now);
    }
    return;
  }
  const step = byKey.get(d.stepKey);
  if (!step) throw new BatonError('internal', `run ${run.id} has no step ${d.stepKey}`);
  const sid = step.id;
  switch (d.type) {
    case 'skip':
      await tx.updateStep(
        sid,
        { status: 'skipped', finishedAt: now, updatedAt: now },
        { status: ['pending'] },
      );
      await tx.insertEvents([ev('step.skipped', run.id, sid, { step: d.stepKey, reason: d.reason })], now);
      return;
    case 'queue':
      await tx.updateStep(
        sid,
        { status: 'queued', availableAt: now, spec: d.spec, priority: run.priority, updatedAt: now },
        { status: ['pending'] },
      );
      await tx.insertEvents([ev('step.queued', run.id, sid, { step: d.stepKey })], now);
      tx.afterCommit(deps.hints.workAvailable);
      return;
    case 'await_approval':
      await tx.updateStep(
        sid,
        { status: 'awaiting_approval', startedAt: now, updatedAt: now },
        { status: ['pending'] },
      );
      await tx.insertWait({
        id: deps.newId(),
        runId: run.id,
        stepId: sid,
        kind: 'approval',
        status: 'pending',
        dueAt: d.dueAt,
        payload: { message: d.message, default: d.default, approvers: d.approvers, step: d.stepKey },
        decidedBy: null,
        decidedAt: null,
        comment: null,
        createdAt: now,
      });
      await tx.insertEvents(
        [ev('step.awaiting_approval', run.id, sid, { step: d.stepKey, message: d.message, dueAt: d.dueAt })],
        now,
      );
      return;
    case 'timer':
      await tx.updateStep(
        sid,
        { status: 'running', startedAt: now, updatedAt: now },
        { status: ['pending'] },
      );
      await tx.insertWait({
        id: deps.newId(),
        runId: run.id,
        stepId: sid,
        kind: 'timer',
        status: 'pending',
        dueAt: d.dueAt,
        payload: { step: d.stepKey },
        decidedBy: null,
        decidedAt: null,
        comment: null,
        createdAt: now,
      });
      await tx.insertEvents([ev('step.waiting', run.id, sid, { step: d.stepKey, until: d.dueAt })], now);
      return;
    case 'event_wait':
      await tx.updateStep(
        sid,
        { status: 'running', startedAt: now, updatedAt: now },
        { status: ['pending'] },
      );
      await tx.insertWait({
        id: deps.newId(),
        runId: run.id,
        stepId: sid,
        kind: 'event',
        status: 'pending',
        dueAt: d.dueAt,
        payload: { step: d.stepKey, event: d.event, if: d.if },
        decidedBy: null,
        decidedAt: null,
        comment: null,
        createdAt: now,
      });
      await tx.insertEvents(
        [ev('step.waiting', run.id, sid, { step: d.stepKey, event: d.event, until: d.dueAt })],
        now,
      );
      // an event that arrived before the wait existed is not matched: waits see what comes after
      return;
    case 'children':
      return startChildren(deps, tx, run, step, d.workflow, d.items);
    case 'complete':
      await tx.updateStep(
        sid,
        {
          status: 'succeeded',
          outcome: 'success',
          outputs: d.outputs,
          startedAt: now,
          finishedAt: now,
          updatedAt: now,
        },
        { status: ['pending'] },
      );
      await tx.insertEvents([ev('step.succeeded', run.id, sid, { step: d.stepKey, note: d.note })], now);
      return;
    case 'fail':
      await tx.updateStep(
        sid,
        { status: 'failed', outcome: 'failure', error: d.error, finishedAt: now, updatedAt: now },
        { status: ['pending'] },
      );
      await tx.insertEvents([ev('step.failed', run.id, sid, { step: d.stepKey, error: d.error })], now);
      return;
    default:
      return assertExhaustive(d, 'decision');
  }
}

async function startChildren(
  deps: EngineDeps,
  tx: StoreTx,
  run: RunRecord,
  step: StepRecord,
  workflowName: string,
  items: Array<Record<string, unknown>>,
): Promise<void> {
  const now = deps.clock.now();
  const workflow = await tx.getWorkflow(workflowName);
  const fail = async (message: string, code: 'not_found' | 'invalid_input') => {
    const error = { code, message };
    await tx.updateStep(
      step.id,
      { status: 'failed', outcome: 'failure', error, finishedAt: now, updatedAt: now },
      { status: ['pending'] },
    );
    await tx.insertEvents([ev('step.failed', run.id, step.id, { step: step.stepKey, error })], now);
  };
  if (!workflow) return fail(`workflow "${workflowName}" is not registered`, 'not_found');
  await tx.updateStep(
    step.id,
    { status: 'running', startedAt: now, updatedAt: now },
    { status: ['pending'] },
  );
  const childIds: string[] = [];
  try {
    for (const [index, inputs] of items.entries()) {
      const { run: child } = await createRunInTx(deps, tx, {
        workflow,
        inputs,
        priority: run.priority,
        dryRun: run.dryRun,
        trigger: 'child',
        parent: { runId: run.id, stepId: step.id, index },
        repositoryId: run.repositoryId,
        idempotencyKey: `child:${step.id}:${step.iteration}:${index}`,
      });
      childIds.push(child.id);
    }
  } catch (e) {
    await tx.updateStep(step.id, { status: 'pending' }, { status: ['running'] });
    return fail(`cannot start child runs of ${workflowName}: ${toErrorRecord(e).message}`, 'invalid_input');
  }
  await tx.insertWait({
    id: deps.newId(),
    runId: run.id,
    stepId: step.id,
    kind: 'children',
    status: 'pending',
    dueAt: null,
    payload: { workflow: workflowName, runs: childIds },
    decidedBy: null,
    decidedAt: null,
    comment: null,
    createdAt: now,
  });
  await tx.insertEvents(
    [
      ev('step.children_started', run.id, step.id, {
        step: step.stepKey,
        workflow: workflowName,
        runs: childIds,
      }),
    ],
    now,
  );
  if (items.length === 0) await childRunFinished(deps, tx, step.id);
}

/** Terminal run: record it, free its concurrency slot, wake its parent, apply stop_on_failure. */
export async function finishRun(
  deps: EngineDeps,
  tx: StoreTx,
  run: RunRecord,
  status: 'succeeded' | 'failed' | 'cancelled',
  outputs: Record<string, unknown> | null,
  error: RunRecord['error'],
): Promise<void> {
  const now = deps.clock.now();
  const ok = await tx.updateRun(run.id, { status, outputs, error, finishedAt: now, updatedAt: now }, [
    'running',
    'awaiting_approval',
    'paused',
    'queued',
  ]);
  if (!ok) return;
  await tx.insertEvents([ev(`run.${status}`, run.id, null, { outputs, error })], now);
  if (run.concurrencyKey) await admitQueued(deps, tx, run.concurrencyKey);
  if (run.parentStepId) await childRunFinished(deps, tx, run.parentStepId);
  if (status === 'failed' && !run.parentRunId) {
    const q = await tx.getQueueSettings();
    if (q.stopOnFailure && !q.paused) {
      const reason = `stop_on_failure: run ${run.id} (${run.workflowName}) failed`;
      await tx.updateQueueSettings({ paused: true, pausedReason: reason, updatedAt: now });
      await tx.insertEvents([ev('queue.updated', null, null, { paused: true, reason })], now);
    }
  }
}
