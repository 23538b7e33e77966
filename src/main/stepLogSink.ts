import type { StepRecord } from '../domain/records.ts';
import type { Store } from '../engine/ports/store.ts';
import { BufferedLogSink } from '../runners/logs/bufferedLogSink.ts';

/** A step attempt's stdout/stderr, buffered into chunks stored in `step_logs`. */
export function stepLogSink(store: Store, step: StepRecord, flushIntervalMs?: number): BufferedLogSink {
  return new BufferedLogSink({
    ...(flushIntervalMs === undefined ? {} : { flushIntervalMs }),
    persist: (chunks) =>
      store.transaction((tx) =>
        tx.appendLogs(
          chunks.map((c) => ({
            stepId: step.id,
            attempt: step.attempt,
            seq: c.seq,
            stream: c.stream,
            data: c.data,
            createdAt: c.at,
          })),
        ),
      ),
  });
}
