import type { AgentEventRecord } from '../../domain/records.ts';
import { toJson } from '../mappers.ts';
import type { Db } from './db.ts';

/** Stores transcript events (a retried write of the same (step, attempt, seq) keeps one). */
export async function appendAgentEvents(db: Db, events: AgentEventRecord[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('agent_events')
    .values(
      events.map((e) => ({
        step_id: e.stepId,
        attempt: e.attempt,
        seq: e.seq,
        kind: e.kind,
        event: toJson(e.event),
        created_at: e.createdAt,
      })),
    )
    .onConflict((oc) => oc.columns(['step_id', 'attempt', 'seq']).doNothing())
    .execute();
}
