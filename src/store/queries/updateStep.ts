import type { StepRecord } from '../../domain/records.ts';
import type { LeaseFence } from '../../engine/ports/store.ts';
import { stepFromRow, stepPatchToRow } from '../mappers.ts';
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

/** The fenced lease release of a finished attempt, returning the step row (saves a read). */
export async function releaseLease(db: Db, fence: LeaseFence, now: number): Promise<StepRecord | undefined> {
  const row = await db
    .updateTable('steps')
    .set({ lease_owner: null, lease_expires_at: null, updated_at: now })
    .where('id', '=', fence.stepId)
    .where('status', '=', 'running')
    .where('lease_owner', '=', fence.owner)
    .where('attempt', '=', fence.attempt)
    .returningAll()
    .executeTakeFirst();
  return row && stepFromRow(row);
}
