import { BatonError } from '../domain/errors.ts';

/** One stage of a multi-call operation: what it does, and how to undo it. */
export interface SagaStage {
  /** what the stage does, for messages ("open the pull request") */
  name: string;
  run(signal: AbortSignal): Promise<void>;
  /**
   * Undoes what `run` did, and must be idempotent (it may run again after a crash, or find the
   * thing already undone). Returns a sentence of what it did — "deleted branch x" or "kept branch
   * x: it existed before" — or null when there was nothing to undo.
   */
  compensate?(signal: AbortSignal, failure: SagaFailure): Promise<string | null>;
}

/** Why compensations run: the stage that failed for good, and its error. */
export interface SagaFailure {
  stage: string;
  error: unknown;
}

export interface SagaOptions {
  signal: AbortSignal;
  log(line: string): Promise<void>;
  /**
   * Whether a failure is final: no other attempt of the step will resume the operation. When it
   * is not, nothing is undone (the next attempt finds what this one did through its markers).
   */
  isFinal(error: unknown): boolean;
}

/** A saga that failed for good, after its completed stages were compensated. */
export class SagaFailed extends Error {
  constructor(
    /** the stage that failed */
    readonly stage: string,
    /** the stage's own error, never masked */
    readonly original: unknown,
    /** what the compensations did, in the order they ran (reverse stage order) */
    readonly undone: readonly string[],
    /** compensations that failed, each naming its stage and error */
    readonly compensationErrors: readonly string[],
  ) {
    const parts = [`${stage} failed: ${describeError(original)}`];
    if (undone.length) parts.push(`compensation: ${undone.join('; ')}`);
    if (compensationErrors.length) parts.push(`compensation failed: ${compensationErrors.join('; ')}`);
    super(parts.join(' — '), { cause: original });
    this.name = 'SagaFailed';
  }
}

/** An error's message with its hint, as a step's error reads it. */
export function describeError(e: unknown): string {
  if (e instanceof BatonError) return e.hint ? `${e.message} (${e.hint})` : e.message;
  return e instanceof Error ? e.message : String(e);
}

/** Whether an error says the same call may succeed later (a BatonError marked `retryable`). */
export const isRetryable = (e: unknown): boolean => e instanceof BatonError && e.retryable;

/**
 * Runs the stages in order. When one fails:
 * - the step was cancelled (the signal aborted): the error is rethrown, nothing is undone;
 * - the failure is not final (`isFinal` false: another attempt follows): it is rethrown as it is and
 *   nothing is undone — the next attempt resumes through the idempotency markers;
 * - it is final: the stages that completed are compensated in reverse order (each failure of a
 *   compensation is logged and reported, and the others still run), then `SagaFailed` is thrown,
 *   carrying the original error untouched.
 */
export async function runSaga(stages: readonly SagaStage[], o: SagaOptions): Promise<void> {
  const done: SagaStage[] = [];
  for (const stage of stages) {
    try {
      await stage.run(o.signal);
    } catch (e) {
      if (o.signal.aborted) throw e;
      if (!o.isFinal(e)) {
        await o.log(
          `${stage.name} failed (${describeError(e)}); another attempt follows and resumes the operation: nothing is undone`,
        );
        throw e;
      }
      throw await compensate(stage.name, e, done, o);
    }
    done.push(stage);
  }
}

async function compensate(
  failed: string,
  cause: unknown,
  done: readonly SagaStage[],
  o: SagaOptions,
): Promise<SagaFailed> {
  const undone: string[] = [];
  const errors: string[] = [];
  const withUndo = done.filter((s) => s.compensate !== undefined);
  if (withUndo.length)
    await o.log(`${failed} failed for good (${describeError(cause)}): undoing what this step did`);
  for (const stage of [...withUndo].reverse()) {
    try {
      const what = await stage.compensate!(o.signal, { stage: failed, error: cause });
      if (what !== null) {
        undone.push(what);
        await o.log(`undo ${stage.name}: ${what}`);
      }
    } catch (e) {
      const line = `undoing "${stage.name}" failed: ${describeError(e)}`;
      errors.push(line);
      await o.log(line).catch(() => undefined);
    }
  }
  return new SagaFailed(failed, cause, undone, errors);
}
