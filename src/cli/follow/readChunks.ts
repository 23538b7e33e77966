import type { LogChunkRecord } from '../../domain/records.ts';
import type { Engine } from '../../engine/engine.ts';

const PAGE = 1000;

/** Every chunk of one attempt of a step after `afterSeq`, in order (paged). */
export async function readChunks(
  engine: Engine,
  runId: string,
  stepKey: string,
  attempt: number,
  afterSeq: number,
  signal?: AbortSignal,
): Promise<LogChunkRecord[]> {
  const out: LogChunkRecord[] = [];
  let seq = afterSeq;
  for (;;) {
    if (signal?.aborted) return out;
    const page = await engine.readLogs(runId, stepKey, attempt, seq, PAGE);
    out.push(...page);
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return out;
    seq = last.seq;
  }
}
