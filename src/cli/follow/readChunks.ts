import type { LogChunkRecord } from '../../domain/records.ts';
import type { Backend } from '../backend/Backend.ts';

const PAGE = 1000;

/** Every chunk of one attempt of a step after `afterSeq`, in order (paged). */
export async function readChunks(
  backend: Pick<Backend, 'readLogs'>,
  step: { runId: string; id: string; stepKey: string },
  attempt: number,
  afterSeq: number,
  signal?: AbortSignal,
): Promise<LogChunkRecord[]> {
  const out: LogChunkRecord[] = [];
  let seq = afterSeq;
  for (;;) {
    if (signal?.aborted) return out;
    const page = await backend.readLogs(
      { runId: step.runId, stepId: step.id, stepKey: step.stepKey, attempt, afterSeq: seq, limit: PAGE },
      signal,
    );
    out.push(...page);
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return out;
    seq = last.seq;
  }
}
