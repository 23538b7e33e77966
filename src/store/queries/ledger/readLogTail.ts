import type { LedgerDb } from './ledgerSchema.ts';

/** The last `chunks` log chunks of a step's latest attempt (both streams), oldest first. */
export async function readLogTail(db: LedgerDb, stepId: string, chunks: number): Promise<Buffer[]> {
  const rows = await db
    .selectFrom('step_logs')
    .select('data')
    .where('step_id', '=', stepId)
    .where('attempt', '=', (eb) =>
      eb
        .selectFrom('step_logs')
        .select((e) => e.fn.max('attempt').as('a'))
        .where('step_id', '=', stepId),
    )
    .orderBy('seq', 'desc')
    .limit(chunks)
    .execute();
  return rows.reverse().map((r) => (Buffer.isBuffer(r.data) ? r.data : Buffer.from(r.data)));
}
