import type { AuditEvent, AuditFilter } from '../../../accounts/accountTypes.ts';
import { auditFromRow } from './accountMappers.ts';
import type { AccountsDb } from './accountsSchema.ts';

/** Newest first, keyset on id. */
export async function listAuditEvents(db: AccountsDb, f: AuditFilter): Promise<AuditEvent[]> {
  let q = db.selectFrom('audit_events').selectAll();
  if (f.workspaceIds) q = q.where('workspace_id', 'in', f.workspaceIds.length ? f.workspaceIds : ['']);
  if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
  if (f.action !== undefined) q = q.where('action', '=', f.action);
  if (f.resourceId !== undefined) q = q.where('resource_id', '=', f.resourceId);
  if (f.since !== undefined) q = q.where('at', '>=', f.since);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map(auditFromRow);
}
