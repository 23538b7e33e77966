import type { LedgerDb } from './ledgerSchema.ts';

/** The projector's position in the events outbox (0 before its first batch). */
export async function getLedgerCursor(db: LedgerDb, name: string): Promise<number> {
  const row = await db
    .selectFrom('ledger_cursor')
    .select('position')
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? Number(row.position) : 0;
}
