import { DEFAULT_WORKSPACE } from '../../domain/access/defaultWorkspace.ts';
import type { Millis, StoredEventRecord } from '../../engine/ports/store.ts';
import { toJson } from '../mappers.ts';
import type { Db } from './db.ts';
import { storedEventFromRow, withEventsV2 } from './eventsSchemaV2.ts';

/** An external event written to the outbox (pending until marked processed). */
export async function insertExternalEvent(
  db: Db,
  e: { type: string; payload: Record<string, unknown>; workspaceId?: string },
  now: Millis,
): Promise<StoredEventRecord> {
  const row = await withEventsV2(db)
    .insertInto('events')
    .values({
      run_id: null,
      step_id: null,
      type: e.type,
      payload: toJson(e.payload),
      created_at: now,
      external: 1,
      workspace_id: e.workspaceId ?? DEFAULT_WORKSPACE,
      processed_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return storedEventFromRow(row);
}
