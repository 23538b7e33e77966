import type { NewAuditEvent } from '../../../accounts/accountTypes.ts';
import type { AccountsDb } from './accountsSchema.ts';

export async function insertAuditEvent(db: AccountsDb, e: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      at: e.at,
      workspace_id: e.workspaceId,
      user_id: e.userId,
      login: e.login,
      token_id: e.tokenId,
      action: e.action,
      method: e.method,
      path: e.path,
      resource_type: e.resourceType,
      resource_id: e.resourceId,
      outcome: e.outcome,
      status_code: e.statusCode,
      request_id: e.requestId,
      ip: e.ip,
      detail: e.detail === null ? null : JSON.stringify(e.detail),
    })
    .execute();
}
