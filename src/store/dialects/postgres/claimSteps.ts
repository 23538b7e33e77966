import { sql } from 'kysely';
import type { StepRecord } from '../../../domain/records.ts';
import { stepFromRow } from '../../mappers.ts';
import type { Db } from '../../queries/db.ts';
import type { StepsTable } from '../../schema.ts';

/**
 * PostgreSQL claim (DESIGN §3.4): `FOR UPDATE SKIP LOCKED` over the ready partial index, so
 * concurrent orchestrators claim disjoint steps without waiting on each other.
 */
export async function claimSteps(
  db: Db,
  owner: string,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<StepRecord[]> {
  const r = await sql<StepsTable>`
    with c as (
      select s.id from steps s
       where s.status = 'queued' and s.runnable = 1 and s.available_at <= ${now}
         and exists (select 1 from runs r where r.id = s.run_id and r.status in ('running', 'awaiting_approval'))
         and not exists (select 1 from queue_settings q where q.id = 1 and q.paused = 1)
       order by s.priority desc, s.available_at, s.id
       limit ${limit}
       for update of s skip locked)
    update steps
       set status = 'running', lease_owner = ${owner}, lease_expires_at = ${now + leaseMs},
           attempt = steps.attempt + 1, started_at = coalesce(steps.started_at, ${now}), updated_at = ${now}
      from c where steps.id = c.id
    returning steps.*`.execute(db);
  return r.rows.map(stepFromRow).sort((a, b) => b.priority - a.priority || a.availableAt - b.availableAt);
}
