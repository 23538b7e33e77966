import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminalRun } from '../../domain/runStatus.ts';
import type { Engine, RunDetails } from '../../engine/engine.ts';
import type { LogTail } from './logTail.ts';
import type { ProgressView } from './progressView.ts';

export interface FollowOptions {
  /** aborting stops following (the run goes on) */
  signal: AbortSignal;
  pollMs: number;
  view: ProgressView | null;
  tail: LogTail | null;
}

export interface FollowResult {
  details: RunDetails;
  /** following was stopped before the run ended */
  interrupted: boolean;
}

/** Polls a run (works across processes) and feeds the view until the run is terminal or `signal` aborts. */
export async function followRun(engine: Engine, runId: string, o: FollowOptions): Promise<FollowResult> {
  let last: RunDetails | null = null;
  try {
    for (;;) {
      if (o.signal.aborted) break;
      const d = await engine.getRun(runId);
      last = d;
      if (o.tail) await o.tail.update(engine, d).catch(() => undefined); // logs are best effort
      o.view?.update(d, o.tail);
      if (isTerminalRun(d.run.status)) {
        o.view?.close(d);
        return { details: d, interrupted: false };
      }
      await sleep(o.pollMs, undefined, { signal: o.signal }).catch(() => undefined);
    }
  } catch (e) {
    o.view?.close(last);
    throw e;
  }
  o.view?.close(last);
  return { details: last ?? (await engine.getRun(runId)), interrupted: true };
}
