import type { LedgerTask } from '../../../ledger/ledgerTypes.ts';
import type { LedgerDb } from './ledgerSchema.ts';
import { taskToRow } from './taskRow.ts';

/**
 * The rows of Baton steps, inserted or replaced in one statement (idempotent: the same step state
 * gives the same row). An existing row keeps its id and creation time, and its notification
 * bookkeeping unless `resetNotification` (a new entry into `awaiting_approval`).
 */
export async function upsertStepTasks(
  db: LedgerDb,
  tasks: LedgerTask[],
  resetNotification: boolean,
): Promise<void> {
  if (tasks.length === 0) return;
  await db
    .insertInto('agents_tasks')
    .values(tasks.map(taskToRow))
    .onConflict((oc) =>
      oc.column('step_id').doUpdateSet((eb) => ({
        task: eb.ref('excluded.task'),
        run_id: eb.ref('excluded.run_id'),
        status: eb.ref('excluded.status'),
        started_at: eb.ref('excluded.started_at'),
        finished_at: eb.ref('excluded.finished_at'),
        duration_ms: eb.ref('excluded.duration_ms'),
        inputs: eb.ref('excluded.inputs'),
        outputs_uri: eb.ref('excluded.outputs_uri'),
        log_excerpt: eb.ref('excluded.log_excerpt'),
        approval_state: eb.ref('excluded.approval_state'),
        approver: eb.ref('excluded.approver'),
        updated_at: eb.ref('excluded.updated_at'),
        ...(resetNotification
          ? { webhook_notified_at: null, webhook_error: null, webhook_claimed_until: null }
          : {}),
      })),
    )
    .execute();
}
