import type { EventFilter, StoredEventRecord } from '../../engine/ports/store.ts';
import type { Db } from './db.ts';
import { storedEventFromRow, withEventsV2 } from './eventsSchemaV2.ts';

/** Outbox events after an id, oldest first, filtered by run, type and pending state. */
export async function listEventsFiltered(db: Db, f: EventFilter): Promise<StoredEventRecord[]> {
  let q = withEventsV2(db).selectFrom('events').selectAll().where('id', '>', f.afterId);
  if (f.runId) q = q.where('run_id', '=', f.runId);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.workspaceIds) q = q.where('workspace_id', 'in', f.workspaceIds.length ? f.workspaceIds : ['']);
  if (f.pendingOnly) q = q.where('external', '=', 1).where('processed_at', 'is', null);
  const rows = await q.orderBy('id').limit(f.limit).execute();
  return rows.map(storedEventFromRow);
}
