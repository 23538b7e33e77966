import type { NewEvent } from '../../domain/records.ts';
import { toJson } from '../mappers.ts';
import type { Db } from './db.ts';

/** The outbox: called inside the same transaction as the state change it describes. */
export async function insertEvents(db: Db, events: NewEvent[], now: number): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('events')
    .values(
      events.map((e) => ({
        run_id: e.runId,
        step_id: e.stepId,
        type: e.type,
        payload: toJson(e.payload),
        created_at: now,
      })),
    )
    .execute();
}
