import type { Db } from './db.ts';

export async function deleteSchedulesExcept(db: Db, workflowName: string, keepIds: string[]): Promise<void> {
  let q = db.deleteFrom('schedules').where('workflow_name', '=', workflowName);
  if (keepIds.length) q = q.where('id', 'not in', keepIds);
  await q.execute();
}
