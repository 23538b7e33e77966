import type { Db } from '../db.ts';

/** Replaces a comment's body (a progress comment edited in place). */
export async function updateForgeCommentBody(db: Db, id: string, body: string, now: number): Promise<void> {
  await db.updateTable('forge_comments').set({ body, updated_at: now }).where('id', '=', id).execute();
}
