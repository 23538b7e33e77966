import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * One batched statement per runner per tick (DESIGN §3.3): renews every lease `owner` still holds
 * among `stepIds` and reports which of them belong to a cancelled run (§3.7: one source of truth).
 */
export async function heartbeat(
  db: Db,
  owner: string,
  stepIds: string[],
  now: number,
  leaseMs: number,
): Promise<{ renewed: string[]; cancelled: string[] }> {
  if (stepIds.length === 0) return { renewed: [], cancelled: [] };
  const rows = await db
    .updateTable('steps')
    .set({ lease_expires_at: now + leaseMs })
    .where('lease_owner', '=', owner)
    .where('status', '=', 'running')
    .where('id', 'in', stepIds)
    .returning(['id', sql<string>`(select r.status from runs r where r.id = steps.run_id)`.as('run_status')])
    .execute();
  return {
    renewed: rows.map((r) => r.id),
    cancelled: rows.filter((r) => r.run_status === 'cancelled').map((r) => r.id),
  };
}
