import type { ForgeReviewsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

export async function insertForgeReview(db: Db, row: ForgeReviewsTable): Promise<void> {
  await db.insertInto('forge_reviews').values(row).execute();
}
