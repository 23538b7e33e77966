import { isTerminalRun } from '../../domain/runStatus.ts';
import type { Backend, RunWatch } from '../backend/Backend.ts';
import type { RunDetailsView } from '../backend/runView.ts';
import type { LogTail } from './logTail.ts';
import type { ProgressView } from './progressView.ts';
import { retrying } from './retrying.ts';

export interface FollowOptions {
  /** aborting stops following (the run goes on) */
  signal: AbortSignal;
  /** wakes the loop when the run may have changed (see Backend.watchRun) */
  watch: RunWatch;
  view: ProgressView | null;
  tail: LogTail | null;
}

export interface FollowResult {
  /** the last state read (null when stopped before the first read) */
  details: RunDetailsView | null;
  /** following was stopped before the run ended */
  interrupted: boolean;
}

/** Reads a run and feeds the view until the run is terminal or `signal` aborts. */
export async function followRun(backend: Backend, runId: string, o: FollowOptions): Promise<FollowResult> {
  let last: RunDetailsView | null = null;
  try {
    for (;;) {
      if (o.signal.aborted) break;
      const d = await retrying(o.watch, o.signal, () => backend.getRun(runId, o.signal));
      if (!d) break;
      last = d;
      if (o.tail) await o.tail.update(backend, d, o.signal).catch(() => undefined); // logs are best effort
      o.view?.update(d, o.tail);
      if (isTerminalRun(d.run.status)) {
        o.view?.close(d);
        return { details: d, interrupted: false };
      }
      await o.watch.next(o.tail !== null && d.steps.some((s) => s.status === 'running'));
    }
  } catch (e) {
    o.view?.close(last);
    throw e;
  }
  o.view?.close(last);
  return { details: last, interrupted: true };
}
