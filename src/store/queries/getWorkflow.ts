import type { WorkflowRecord } from '../../domain/records.ts';
import { workflowFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function getWorkflow(db: Db, name: string): Promise<WorkflowRecord | undefined> {
  const row = await db.selectFrom('workflows').selectAll().where('name', '=', name).executeTakeFirst();
  return row && workflowFromRow(row);
}
