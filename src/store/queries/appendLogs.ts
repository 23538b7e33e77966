import type { LogChunkRecord } from '../../domain/records.ts';
import type { Db } from './db.ts';

export async function appendLogs(db: Db, chunks: LogChunkRecord[]): Promise<void> {
  if (chunks.length === 0) return;
  await db
    .insertInto('step_logs')
    .values(
      chunks.map((c) => ({
        step_id: c.stepId,
        attempt: c.attempt,
        seq: c.seq,
        stream: c.stream,
        data: c.data,
        created_at: c.createdAt,
      })),
    )
    // a persist retried after an ambiguous failure re-sends the same (step, attempt, seq): keep one
    .onConflict((oc) => oc.columns(['step_id', 'attempt', 'seq']).doNothing())
    .execute();
}
