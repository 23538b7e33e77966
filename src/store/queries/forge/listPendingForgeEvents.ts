import type { Selectable } from 'kysely';
import type { ForgeEventsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** Outbox events not emitted yet, oldest first. */
export async function listPendingForgeEvents(db: Db, limit: number): Promise<Selectable<ForgeEventsTable>[]> {
  return db
    .selectFrom('forge_events')
    .selectAll()
    .where('emitted_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}
