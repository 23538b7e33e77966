import type { Db } from './db.ts';

/** A per-key override of the workflow's limit; null removes it. */
export async function setConcurrencyLimit(
  db: Db,
  key: string,
  limit: number | null,
  now: number,
): Promise<void> {
  if (limit === null) {
    await db.deleteFrom('concurrency_limits').where('key', '=', key).execute();
    return;
  }
  await db
    .insertInto('concurrency_limits')
    .values({ key, limit, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ limit, updated_at: now }))
    .execute();
}
