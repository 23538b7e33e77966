import type { LedgerDb } from './ledgerSchema.ts';

/**
 * Compare-and-set of the projector's position: false when another projector moved it first
 * (several `baton serve` replicas share one database).
 */
export async function advanceLedgerCursor(
  db: LedgerDb,
  name: string,
  from: number,
  to: number,
  now: number,
): Promise<boolean> {
  if (from === 0) {
    const r = await db
      .insertInto('ledger_cursor')
      .values({ name, position: to, updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) === 1) return true;
  }
  const r = await db
    .updateTable('ledger_cursor')
    .set({ position: to, updated_at: now })
    .where('name', '=', name)
    .where('position', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
