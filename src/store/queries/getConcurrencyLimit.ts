import type { Db } from './db.ts';

export async function getConcurrencyLimit(db: Db, key: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('concurrency_limits')
    .select('limit')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.limit;
}
