import { BatonError } from '../../domain/errors.ts';
import { didYouMean } from '../../domain/didYouMean.ts';
import type { StepRecord } from '../../domain/records.ts';
import type { StoreTx } from '../ports/store.ts';

/** A step of a run by its key, with a did-you-mean error when it does not exist. */
export async function findStep(tx: StoreTx, runId: string, stepKey: string): Promise<StepRecord> {
  const steps = await tx.listSteps(runId);
  if (steps.length === 0 && !(await tx.getRun(runId))) {
    throw new BatonError('not_found', `run ${runId} does not exist`, { field: 'run' });
  }
  const step = steps.find((s) => s.stepKey === stepKey);
  if (!step) {
    const guess = didYouMean(
      stepKey,
      steps.map((s) => s.stepKey),
    );
    throw new BatonError(
      'not_found',
      `run ${runId} has no step "${stepKey}"${guess ? `; did you mean "${guess}"?` : ''}`,
      {
        field: 'step',
        details: { steps: steps.map((s) => s.stepKey) },
      },
    );
  }
  return step;
}
