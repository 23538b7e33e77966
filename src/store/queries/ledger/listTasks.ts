import type { LedgerTask, TaskFilter } from '../../../ledger/ledgerTypes.ts';
import type { LedgerDb } from './ledgerSchema.ts';
import { taskFromRow } from './taskRow.ts';

/** Newest first (by start), at most `limit` rows: the unpaged `GET /agents/tasks/`. */
export async function listTasks(db: LedgerDb, f: TaskFilter, limit: number): Promise<LedgerTask[]> {
  let q = db.selectFrom('agents_tasks').selectAll();
  if (f.workspaceIds) q = q.where('workspace_id', 'in', f.workspaceIds.length ? f.workspaceIds : ['']);
  if (f.runId !== undefined) q = q.where('run_id', '=', f.runId);
  if (f.task !== undefined) q = q.where('task', '=', f.task);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.since !== undefined) q = q.where('started_at', '>=', f.since);
  const rows = await q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(taskFromRow);
}
