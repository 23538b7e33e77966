import type { Selectable } from 'kysely';
import type { ForgeReviewsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** A pull request's reviews, oldest first (ids are time-ordered UUIDv7s: they break ties). */
export async function listForgeReviews(
  db: Db,
  repository: string,
  number: number,
): Promise<Selectable<ForgeReviewsTable>[]> {
  return db
    .selectFrom('forge_reviews')
    .selectAll()
    .where('repository', '=', repository)
    .where('number', '=', number)
    .orderBy('submitted_at')
    .orderBy('id')
    .execute();
}
