import type { Kysely } from 'kysely';
import type { JsonText, StepLogsTable } from '../../schema.ts';

/** Row shape of `agents_tasks` (migration 003): times in epoch milliseconds like the rest of Baton. */
export interface AgentsTasksTable {
  id: string;
  task: string;
  run_id: string | null;
  step_id: string | null;
  status: string;
  started_at: number;
  finished_at: number | null;
  duration_ms: number | null;
  inputs: JsonText | null;
  outputs_uri: string | null;
  log_excerpt: string | null;
  approval_state: string | null;
  approver: string | null;
  webhook_notified_at: number | null;
  webhook_error: string | null;
  workspace_id: string;
  webhook_claimed_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface LedgerCursorTable {
  name: string;
  position: number;
  updated_at: number;
}

/** The tables the ledger reads and writes (step_logs only for log excerpts). */
export interface LedgerDatabase {
  agents_tasks: AgentsTasksTable;
  ledger_cursor: LedgerCursorTable;
  step_logs: StepLogsTable;
}

export type LedgerDb = Kysely<LedgerDatabase>;
