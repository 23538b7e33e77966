import type { StoredEventRecord } from '../../engine/ports/store.ts';
import type { Db } from './db.ts';
import { storedEventFromRow, withEventsV2 } from './eventsSchemaV2.ts';

export async function getEvent(db: Db, id: number): Promise<StoredEventRecord | undefined> {
  const row = await withEventsV2(db).selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? storedEventFromRow(row) : undefined;
}
