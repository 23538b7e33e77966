import type { Selectable } from 'kysely';
import type { ForgeCommentsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** The progress comment of this key on a pull request (one per key, edited in place). */
export async function getForgeCommentByProgressKey(
  db: Db,
  repository: string,
  number: number,
  progressKey: string,
): Promise<Selectable<ForgeCommentsTable> | undefined> {
  return db
    .selectFrom('forge_comments')
    .selectAll()
    .where('repository', '=', repository)
    .where('number', '=', number)
    .where('progress_key', '=', progressKey)
    .executeTakeFirst();
}
