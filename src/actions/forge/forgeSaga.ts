import { BatonError } from '../../domain/errors.ts';
import type { ActionContext } from '../ActionContext.ts';
import { ActionFailed } from '../ActionFailed.ts';
import { runSaga, SagaFailed, type SagaStage } from '../saga.ts';

/**
 * Whether another attempt of the step will follow a failure `e`: only when the step's retry policy
 * has attempts left (`lastAttempt === false`) and the error is not typed as permanent (a BatonError
 * with `retryable: false` is not retried by the engine). Unknown (`lastAttempt` absent): none.
 */
export function anotherAttemptFollows(ctx: ActionContext, e: unknown): boolean {
  if (ctx.job.lastAttempt !== false) return false;
  return !(e instanceof BatonError) || e.retryable;
}

/**
 * Runs an action's stages as a saga (saga.ts): a failure another attempt will resume undoes
 * nothing and is rethrown as it is; a final one undoes what the step did, then fails the step
 * with the cause and what was undone in its message, and the outputs `failed_stage`,
 * `compensated` (JSON list of sentences) and `compensation_errors` (JSON list).
 */
export async function runForgeSaga(action: string, stages: SagaStage[], ctx: ActionContext): Promise<void> {
  try {
    await runSaga(stages, {
      signal: ctx.signal,
      log: (line) => ctx.log(line),
      isFinal: (e) => !anotherAttemptFollows(ctx, e),
    });
  } catch (e) {
    if (!(e instanceof SagaFailed)) throw e;
    throw new ActionFailed(
      `${action}: ${e.message}`,
      {
        failed_stage: e.stage,
        compensated: JSON.stringify(e.undone),
        compensation_errors: JSON.stringify(e.compensationErrors),
      },
      false,
    );
  }
}
