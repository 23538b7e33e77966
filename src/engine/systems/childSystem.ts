import { isTerminalRun } from '../../domain/runStatus.ts';
import type { EngineDeps } from '../engineDeps.ts';
import type { StoreTx } from '../ports/store.ts';
import { finishStep } from './stepOutcomeSystem.ts';

/** A child run ended: when all children of the parent step have, the step succeeds or fails. */
export async function childRunFinished(deps: EngineDeps, tx: StoreTx, parentStepId: string): Promise<void> {
  const found = await tx.getStep(parentStepId);
  if (!found) return;
  // lock the parent run first: sibling children finishing at the same time then take turns, and
  // the last one sees all the others finished
  await tx.getRun(found.runId);
  const step = await tx.getStep(parentStepId);
  if (!step || step.status !== 'running' || step.kind !== 'workflow') return;
  const wait = await tx.getPendingWait(parentStepId);
  const expected = (wait?.payload.runs as string[] | undefined) ?? [];
  const children = (await tx.listChildRuns(parentStepId)).filter((c) => expected.includes(c.id));
  if (children.length < expected.length || !children.every((c) => isTerminalRun(c.status))) return;
  const now = deps.clock.now();
  if (wait) await tx.resolveWait(wait.id, { status: 'resolved', decidedAt: now, decidedBy: 'engine' });
  const runs = children.map((c) => ({ id: c.id, status: c.status, outputs: c.outputs ?? {} }));
  const failed = children.filter((c) => c.status !== 'succeeded');
  await finishStep(deps, tx, step.id, {
    outcome: failed.length ? 'failure' : 'success',
    outputs: { runs, count: runs.length },
    error: failed.length
      ? {
          code: 'step_failed',
          message: `${failed.length} of ${children.length} child run(s) did not succeed: ${failed.map((c) => `${c.id} ${c.status}`).join(', ')}`,
        }
      : null,
  });
}
