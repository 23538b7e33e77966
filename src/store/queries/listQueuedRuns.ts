import type { RunRecord } from '../../domain/records.ts';
import { runFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

/** Admission order: highest priority first, then oldest. `key` null = every key. */
export async function listQueuedRuns(db: Db, key: string | null, limit: number): Promise<RunRecord[]> {
  let q = db.selectFrom('runs').selectAll().where('status', '=', 'queued');
  if (key !== null) q = q.where('concurrency_key', '=', key);
  const rows = await q.orderBy('priority', 'desc').orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map(runFromRow);
}
