import type { RunRecord, StepRecord, WaitRecord } from '../domain/records.ts';
import type { ApprovalState, LedgerTask, TaskStatus } from './ledgerTypes.ts';

/** Baton step status → ledger status (a cancelled step: failed if it had started, else skipped). */
export function taskStatusOf(s: StepRecord): TaskStatus {
  switch (s.status) {
    case 'pending':
    case 'queued':
      return 'queued';
    case 'running':
      return 'running';
    case 'awaiting_approval':
      return 'awaiting_approval';
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'skipped':
      return 'skipped';
    case 'cancelled':
      return s.startedAt === null ? 'skipped' : 'failed';
  }
}

function approvalOf(
  s: StepRecord,
  wait: WaitRecord | undefined,
): { state: ApprovalState | null; by: string | null } {
  if (s.kind !== 'approval') return { state: null, by: null };
  if (s.status === 'awaiting_approval') return { state: 'pending', by: null };
  if (!wait) return { state: null, by: null };
  switch (wait.status) {
    case 'approved':
      return { state: 'approved', by: wait.decidedBy };
    case 'rejected':
      return { state: 'rejected', by: wait.decidedBy };
    case 'timed_out':
      return { state: s.status === 'succeeded' ? 'approved' : 'rejected', by: wait.decidedBy };
    case 'pending':
    case 'cancelled':
    case 'resolved':
      return { state: null, by: null };
  }
}

const MAX_EXCERPT_LINES = 20;
const MAX_EXCERPT_CHARS = 4_000;

/** The last lines of a log (at most 20 lines and 4,000 characters). */
export function excerptOf(chunks: Buffer[]): string | null {
  if (!chunks.length) return null;
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+$/, '');
  if (!text) return null;
  const lines = text.split(/\r?\n/).slice(-MAX_EXCERPT_LINES).join('\n');
  return lines.length > MAX_EXCERPT_CHARS ? lines.slice(-MAX_EXCERPT_CHARS) : lines;
}

export interface StepContext {
  run: RunRecord;
  step: StepRecord;
  /** the step's latest approval wait */
  wait: WaitRecord | undefined;
  existing: LedgerTask | undefined;
  logTail: Buffer[];
  id: string;
  now: number;
}

/** The ledger row of one Baton step, from the step's current state (replaying gives the same row). */
export function stepToTask(c: StepContext): LedgerTask {
  const { run, step: s, existing } = c;
  const status = taskStatusOf(s);
  const startedAt = s.startedAt ?? existing?.startedAt ?? s.updatedAt;
  const final = status === 'succeeded' || status === 'failed' || status === 'skipped';
  const finishedAt = final ? Math.max(s.finishedAt ?? s.updatedAt, startedAt) : null;
  const approval = approvalOf(s, c.wait);
  const outputs = s.outputs;
  const decision =
    approval.state && approval.state !== 'pending' && c.wait
      ? `${approval.state} by ${c.wait.decidedBy ?? 'unknown'}${c.wait.comment ? `: ${c.wait.comment}` : ''}`
      : null;
  const errorMessage = s.error && final ? s.error.message : null;
  return {
    id: existing?.id ?? c.id,
    task: `${run.workflowName}/${s.stepKey}`,
    runId: run.id,
    stepId: s.id,
    status,
    startedAt,
    finishedAt,
    durationMs: finishedAt === null ? null : finishedAt - startedAt,
    inputs: run.inputs,
    outputsUri:
      final && outputs && Object.keys(outputs).length
        ? `baton://runs/${run.id}/steps/${s.stepKey}/outputs`
        : null,
    logExcerpt: excerptOf(c.logTail) ?? decision ?? errorMessage,
    approvalState: approval.state,
    approver: approval.by,
    webhookNotifiedAt: existing?.webhookNotifiedAt ?? null,
    webhookError: existing?.webhookError ?? null,
    createdAt: existing?.createdAt ?? c.now,
    updatedAt: c.now,
    workspaceId: run.workspaceId,
  };
}
