import type { RunRecord, RunStatus } from '../../engine/ports/store.ts';
import { runPatchToRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function updateRun(
  db: Db,
  id: string,
  patch: Partial<RunRecord>,
  from?: readonly RunStatus[],
): Promise<boolean> {
  let q = db.updateTable('runs').set(runPatchToRow(patch)).where('id', '=', id);
  if (from) q = q.where('status', 'in', from);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
