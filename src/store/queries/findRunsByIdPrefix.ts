import type { Db } from './db.ts';

/** Short ids in the CLI (`baton runs show 0196f3`), like git and docker. */
export async function findRunsByIdPrefix(db: Db, prefix: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('runs')
    .select('id')
    .where((eb) => eb(eb.fn('substr', ['id', eb.val(1), eb.val(prefix.length)]), '=', prefix))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
