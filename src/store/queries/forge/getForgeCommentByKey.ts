import type { Selectable } from 'kysely';
import type { ForgeCommentsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

/** The comment posted on a pull request under this idempotency key. */
export async function getForgeCommentByKey(
  db: Db,
  repository: string,
  number: number,
  idempotencyKey: string,
): Promise<Selectable<ForgeCommentsTable> | undefined> {
  return db
    .selectFrom('forge_comments')
    .selectAll()
    .where('repository', '=', repository)
    .where('number', '=', number)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}
