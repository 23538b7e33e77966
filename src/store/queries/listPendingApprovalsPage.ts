import type { Millis, WaitRecord } from '../../engine/ports/store.ts';
import { waitFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

/** The approval inbox: pending approval waits, newest first, keyset on (created_at, id). */
export async function listPendingApprovalsPage(
  db: Db,
  before: { createdAt: Millis; id: string } | null,
  limit: number,
  workspaceIds?: readonly string[],
): Promise<WaitRecord[]> {
  let q = db.selectFrom('waits').selectAll().where('status', '=', 'pending').where('kind', '=', 'approval');
  if (workspaceIds) {
    const ws = workspaceIds.length ? workspaceIds : [''];
    q = q.where('run_id', 'in', (eb) => eb.selectFrom('runs').select('id').where('workspace_id', 'in', ws));
  }
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.createdAt),
        eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(waitFromRow);
}
