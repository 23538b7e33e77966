import type { LedgerTask, TaskFilter, TaskKey } from '../../../ledger/ledgerTypes.ts';
import type { LedgerDb } from './ledgerSchema.ts';
import { taskFromRow } from './taskRow.ts';

/** Keyset page in ascending (started_at, id) order, strictly after `after` when given. */
export async function pageTasks(
  db: LedgerDb,
  f: TaskFilter,
  after: TaskKey | undefined,
  limit: number,
): Promise<LedgerTask[]> {
  let q = db.selectFrom('agents_tasks').selectAll();
  if (f.workspaceIds) q = q.where('workspace_id', 'in', f.workspaceIds.length ? f.workspaceIds : ['']);
  if (f.runId !== undefined) q = q.where('run_id', '=', f.runId);
  if (f.task !== undefined) q = q.where('task', '=', f.task);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.since !== undefined) q = q.where('started_at', '>=', f.since);
  if (after) {
    q = q.where((eb) => eb(eb.refTuple('started_at', 'id'), '>', eb.tuple(after.startedAt, after.id)));
  }
  const rows = await q.orderBy('started_at').orderBy('id').limit(limit).execute();
  return rows.map(taskFromRow);
}
