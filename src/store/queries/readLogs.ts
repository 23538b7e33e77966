import type { LogChunkRecord } from '../../domain/records.ts';
import { logFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

/** Chunks of one attempt (or of every attempt when null) after `afterSeq`, in order. */
export async function readLogs(
  db: Db,
  stepId: string,
  attempt: number | null,
  afterSeq: number,
  limit: number,
): Promise<LogChunkRecord[]> {
  let q = db.selectFrom('step_logs').selectAll().where('step_id', '=', stepId);
  if (attempt !== null) q = q.where('attempt', '=', attempt).where('seq', '>', afterSeq);
  const rows = await q.orderBy('attempt').orderBy('seq').limit(limit).execute();
  return rows.map(logFromRow);
}
