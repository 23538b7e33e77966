import type { StepRecord } from '../../domain/records.ts';
import type { LeaseFence } from '../../engine/ports/store.ts';
import { stepPatchToRow } from '../mappers.ts';
import type { Db } from './db.ts';

/** Optimistic / fenced step write (DESIGN §3.2): false when the expectation no longer holds. */
export async function updateStep(
  db: Db,
  id: string,
  patch: Partial<StepRecord>,
  expect?: { status?: readonly StepRecord['status'][]; fence?: LeaseFence },
): Promise<boolean> {
  let q = db.updateTable('steps').set(stepPatchToRow(patch)).where('id', '=', id);
  if (expect?.status) q = q.where('status', 'in', expect.status);
  if (expect?.fence) {
    q = q.where('lease_owner', '=', expect.fence.owner).where('attempt', '=', expect.fence.attempt);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
