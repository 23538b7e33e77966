import type { RunnerRecord } from '../../domain/records.ts';
import type { Db } from './db.ts';

export async function upsertRunner(db: Db, r: RunnerRecord): Promise<void> {
  const row = {
    id: r.id,
    hostname: r.hostname,
    pid: r.pid,
    started_at: r.startedAt,
    heartbeat_at: r.heartbeatAt,
    stopped_at: r.stoppedAt,
  };
  await db
    .insertInto('runners')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ heartbeat_at: row.heartbeat_at, stopped_at: row.stopped_at }),
    )
    .execute();
}
