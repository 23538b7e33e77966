import type { Db } from './db.ts';
import { withEventsV5 } from './eventsSchemaV5.ts';

/** Records how many event hops led to a run (set once, in the transaction that created it). */
export async function setRunTriggerDepth(db: Db, runId: string, depth: number): Promise<void> {
  await withEventsV5(db).updateTable('runs').set({ trigger_depth: depth }).where('id', '=', runId).execute();
}
