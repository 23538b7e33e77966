import type { Selectable } from 'kysely';
import type { LedgerTask } from '../../../ledger/ledgerTypes.ts';
import { fromJson, toJson } from '../../mappers.ts';
import type { AgentsTasksTable } from './ledgerSchema.ts';

export type TaskRow = Selectable<AgentsTasksTable>;

export function taskFromRow(r: TaskRow): LedgerTask {
  return {
    id: r.id,
    task: r.task,
    runId: r.run_id,
    stepId: r.step_id,
    status: r.status as LedgerTask['status'],
    startedAt: Number(r.started_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    inputs: fromJson(r.inputs),
    outputsUri: r.outputs_uri,
    logExcerpt: r.log_excerpt,
    approvalState: r.approval_state as LedgerTask['approvalState'],
    approver: r.approver,
    webhookNotifiedAt: r.webhook_notified_at === null ? null : Number(r.webhook_notified_at),
    webhookError: r.webhook_error,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    workspaceId: r.workspace_id,
  };
}

const COLUMNS: Record<keyof LedgerTask, keyof TaskRow> = {
  id: 'id',
  task: 'task',
  runId: 'run_id',
  stepId: 'step_id',
  status: 'status',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  durationMs: 'duration_ms',
  inputs: 'inputs',
  outputsUri: 'outputs_uri',
  logExcerpt: 'log_excerpt',
  approvalState: 'approval_state',
  approver: 'approver',
  webhookNotifiedAt: 'webhook_notified_at',
  webhookError: 'webhook_error',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  workspaceId: 'workspace_id',
};

export function taskPatchToRow(p: Partial<LedgerTask>): Partial<TaskRow> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p) as [keyof LedgerTask, unknown][]) {
    if (v === undefined) continue;
    out[COLUMNS[k]] = k === 'inputs' ? (v === null ? null : toJson(v)) : v;
  }
  return out;
}

export const taskToRow = (t: LedgerTask): TaskRow =>
  ({ ...taskPatchToRow(t), webhook_claimed_until: null }) as TaskRow;
