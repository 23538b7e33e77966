import { sql } from 'kysely';
import type { StepRecord } from '../../../domain/records.ts';
import { stepFromRow } from '../../mappers.ts';
import type { Db } from '../../queries/db.ts';
import type { StepsTable } from '../../schema.ts';

/**
 * SQLite claim (DESIGN §3.4): the caller holds `BEGIN IMMEDIATE`, so one `UPDATE … RETURNING`
 * over the ready partial index is race-free across processes. `indexed by` + `cross join` make
 * SQLite walk the ready steps in claim order and stop at the limit, instead of visiting every
 * active run (which made a claim O(active runs)).
 */
export async function claimSteps(
  db: Db,
  owner: string,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<StepRecord[]> {
  const r = await sql<StepsTable>`
    update steps
       set status = 'running', lease_owner = ${owner}, lease_expires_at = ${now + leaseMs},
           attempt = attempt + 1, started_at = coalesce(started_at, ${now}), updated_at = ${now}
     where id in (
       select s.id from steps s indexed by steps_ready cross join runs r on r.id = s.run_id
        where s.status = 'queued' and s.runnable = 1 and s.available_at <= ${now}
          and r.status in ('running', 'awaiting_approval')
          and not exists (select 1 from queue_settings q where q.id = 1 and q.paused = 1)
        order by s.priority desc, s.available_at, s.id
        limit ${limit})
    returning *`.execute(db);
  return r.rows.map(stepFromRow).sort((a, b) => b.priority - a.priority || a.availableAt - b.availableAt);
}
