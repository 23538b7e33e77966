import type { LedgerTask } from './ledgerTypes.ts';
import type { TaskOut } from './ledgerSchemas.ts';
import { toIso, toIsoOrNull } from './parseTime.ts';

export function toWire(t: LedgerTask): TaskOut {
  return {
    id: t.id,
    task: t.task,
    run_id: t.runId,
    step_id: t.stepId,
    status: t.status,
    started_at: toIso(t.startedAt),
    finished_at: toIsoOrNull(t.finishedAt),
    duration_ms: t.durationMs,
    inputs: (t.inputs ?? null) as TaskOut['inputs'],
    outputs_uri: t.outputsUri,
    log_excerpt: t.logExcerpt,
    approval_state: t.approvalState,
    approver: t.approver,
    webhook_notified_at: toIsoOrNull(t.webhookNotifiedAt),
    webhook_error: t.webhookError,
    created_at: toIso(t.createdAt),
    updated_at: toIso(t.updatedAt),
    workspace: t.workspaceId,
  };
}
