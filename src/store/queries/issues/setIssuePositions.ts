import { sql } from 'kysely';
import type { Db } from '../db.ts';

/** Renumbers the children of `parentId` in the order of `ids` (0, 1, 2…) in one statement. */
export async function setIssuePositions(
  db: Db,
  parentId: string,
  ids: readonly string[],
  now: number,
): Promise<void> {
  if (ids.length === 0) return;
  const position = sql<number>`case ${sql.join(
    ids.map((id, i) => sql`when id = ${id} then ${sql.lit(i)}`),
    sql` `,
  )} end`;
  await db
    .updateTable('issues')
    .set({ position, updated_at: now })
    .where('parent_id', '=', parentId)
    .where('id', 'in', ids)
    .execute();
}
