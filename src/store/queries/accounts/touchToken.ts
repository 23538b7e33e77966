import type { AccountsDb } from './accountsSchema.ts';

/** Records a use (the caller throttles: at most one write per token per minute). */
export async function touchToken(db: AccountsDb, id: string, now: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}
