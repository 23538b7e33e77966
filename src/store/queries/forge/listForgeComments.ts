import type { Selectable } from 'kysely';
import type { ForgeCommentsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** A pull request's comments, oldest first (ids are time-ordered UUIDv7s: they break ties). */
export async function listForgeComments(
  db: Db,
  repository: string,
  number: number,
): Promise<Selectable<ForgeCommentsTable>[]> {
  return db
    .selectFrom('forge_comments')
    .selectAll()
    .where('repository', '=', repository)
    .where('number', '=', number)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
