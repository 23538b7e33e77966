import type { WorkflowRecord } from '../../domain/records.ts';
import { workflowFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listWorkflows(db: Db): Promise<WorkflowRecord[]> {
  const rows = await db.selectFrom('workflows').selectAll().orderBy('name').execute();
  return rows.map(workflowFromRow);
}
