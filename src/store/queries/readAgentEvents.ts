import type { AgentEventRecord } from '../../domain/records.ts';
import { fromJson } from '../mappers.ts';
import type { Db } from './db.ts';

/** A step attempt's transcript events after `afterSeq`, in order. */
export async function readAgentEvents(
  db: Db,
  stepId: string,
  attempt: number,
  afterSeq: number,
  limit: number,
): Promise<AgentEventRecord[]> {
  const rows = await db
    .selectFrom('agent_events')
    .selectAll()
    .where('step_id', '=', stepId)
    .where('attempt', '=', attempt)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    stepId: r.step_id,
    attempt: Number(r.attempt),
    seq: Number(r.seq),
    kind: r.kind,
    event: fromJson(r.event),
    createdAt: Number(r.created_at),
  }));
}
