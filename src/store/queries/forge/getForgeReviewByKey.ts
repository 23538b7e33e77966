import type { Selectable } from 'kysely';
import type { ForgeReviewsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** The review submitted on a pull request under this idempotency key. */
export async function getForgeReviewByKey(
  db: Db,
  repository: string,
  number: number,
  idempotencyKey: string,
): Promise<Selectable<ForgeReviewsTable> | undefined> {
  return db
    .selectFrom('forge_reviews')
    .selectAll()
    .where('repository', '=', repository)
    .where('number', '=', number)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}
