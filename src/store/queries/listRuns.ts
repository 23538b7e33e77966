import type { RunRecord } from '../../domain/records.ts';
import type { RunFilter } from '../../engine/ports/store.ts';
import { runFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

/** Newest first, keyset-paginated on (created_at, id). */
export async function listRuns(db: Db, f: RunFilter): Promise<RunRecord[]> {
  let q = db.selectFrom('runs').selectAll();
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.workflowName) q = q.where('workflow_name', '=', f.workflowName);
  if (f.workspaceIds) q = q.where('workspace_id', 'in', f.workspaceIds.length ? f.workspaceIds : ['']);
  if (f.repositoryIds) q = q.where('repository_id', 'in', f.repositoryIds.length ? f.repositoryIds : ['']);
  if (f.parentRunId) q = q.where('parent_run_id', '=', f.parentRunId);
  if (f.since !== undefined) q = q.where('created_at', '>=', f.since);
  if (f.before) {
    const b = f.before;
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', b.createdAt),
        eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)]),
      ]),
    );
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map(runFromRow);
}
