import type { Db } from '../db.ts';
import { toJson } from '../../mappers.ts';

/** Appends events to the local forge's outbox (in the transaction of the change they describe). */
export async function insertForgeEvents(
  db: Db,
  events: readonly { type: string; payload: Record<string, unknown> }[],
  now: number,
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('forge_events')
    .values(
      events.map((e) => ({ type: e.type, payload: toJson(e.payload), created_at: now, emitted_at: null })),
    )
    .execute();
}
