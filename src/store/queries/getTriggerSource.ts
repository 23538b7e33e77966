import type { RunStatus, TriggerSource } from '../../engine/ports/store.ts';
import { fromJson } from '../mappers.ts';
import type { Db } from './db.ts';
import { withEventsV5 } from './eventsSchemaV5.ts';

/** The fields of a run the trigger dispatcher reads, without locking it (they never change). */
export async function getTriggerSource(db: Db, runId: string): Promise<TriggerSource | undefined> {
  const row = await withEventsV5(db)
    .selectFrom('runs')
    .select(['id', 'workflow_name', 'status', 'inputs', 'parent_run_id', 'trigger_depth'])
    .where('id', '=', runId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    workflowName: row.workflow_name,
    status: row.status as RunStatus,
    inputs: fromJson<Record<string, unknown>>(row.inputs),
    parentRunId: row.parent_run_id,
    triggerDepth: Number(row.trigger_depth),
  };
}
