import { sql } from 'kysely';
import type { NewEvent } from '../../domain/records.ts';
import { toJson } from '../mappers.ts';
import type { Db } from './db.ts';

/** The outbox: called inside the same transaction as the state change it describes. */
export async function insertEvents(db: Db, events: NewEvent[], now: number): Promise<void> {
  await insertEventRows(
    db,
    events.map((e) => ({ e, now })),
  );
}

/** Events with their own times, in order (ids increase in this order). */
export async function insertEventRows(db: Db, rows: Array<{ e: NewEvent; now: number }>): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('events')
    .values(
      rows.map(({ e, now }) => ({
        run_id: e.runId,
        step_id: e.stepId,
        type: e.type,
        payload: toJson(e.payload),
        created_at: now,
        // runs never change workspace: the event takes its run's
        workspace_id:
          e.runId === null
            ? null
            : sql<string | null>`(select workspace_id from runs where runs.id = ${e.runId})`,
      })),
    )
    .execute();
}
