import type { Db } from '../db.ts';

export async function markForgeEventEmitted(db: Db, id: number, now: number): Promise<void> {
  await db
    .updateTable('forge_events')
    .set({ emitted_at: now })
    .where('id', '=', id)
    .where('emitted_at', 'is', null)
    .execute();
}
