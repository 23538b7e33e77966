import type { LedgerTask } from './ledgerTypes.ts';

/** Slack incoming-webhook body. */
export interface SlackPayload {
  text: string;
}

/**
 * The email-webhook body (POSTed as JSON to `BATON_EMAIL_WEBHOOK_URL`; a relay such as a Zapier /
 * n8n hook or a small mailer turns it into an email):
 * - `to`           `BATON_EMAIL_TO` when set (else the relay chooses)
 * - `subject`      one line: `Approval needed: <task>`
 * - `text`         plain-text body (task, run, since when, where to decide)
 * - `task`         the ledger row's `task`
 * - `run_id`       the row's `run_id` (null for a task without a run)
 * - `approval_url` where to decide, when the server knows its public URL
 * - `task_id`      the ledger row id (for de-duplication by the relay)
 */
export interface EmailPayload {
  to?: string;
  subject: string;
  text: string;
  task: string;
  run_id: string | null;
  approval_url?: string;
  task_id: string;
}

export function slackPayload(t: LedgerTask, approvalUrl: string | undefined): SlackPayload {
  const run = t.runId ? ` (run ${t.runId})` : '';
  const where = approvalUrl ? `\nDecide: ${approvalUrl}` : '';
  return { text: `:hourglass: Approval needed: ${t.task}${run}${where}` };
}

export function emailPayload(
  t: LedgerTask,
  approvalUrl: string | undefined,
  to: string | undefined,
): EmailPayload {
  const lines = [
    `The task "${t.task}" is waiting for an approval.`,
    ...(t.runId ? [`Run: ${t.runId}`] : []),
    `Waiting since: ${new Date(t.updatedAt).toISOString()}`,
    ...(approvalUrl ? [`Approve or reject: ${approvalUrl}`] : []),
  ];
  return {
    ...(to ? { to } : {}),
    subject: `Approval needed: ${t.task}`,
    text: lines.join('\n'),
    task: t.task,
    run_id: t.runId,
    ...(approvalUrl ? { approval_url: approvalUrl } : {}),
    task_id: t.id,
  };
}
