import type { EventRecord } from '../../domain/records.ts';
import { eventFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listEvents(
  db: Db,
  afterId: number,
  limit: number,
  runId?: string,
): Promise<EventRecord[]> {
  let q = db.selectFrom('events').selectAll().where('id', '>', afterId);
  if (runId) q = q.where('run_id', '=', runId);
  const rows = await q.orderBy('id').limit(limit).execute();
  return rows.map(eventFromRow);
}
