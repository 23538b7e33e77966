import type { Db } from './db.ts';

/** Per-key concurrency limit overrides, by key. */
export async function listConcurrencyLimits(db: Db): Promise<Array<{ key: string; limit: number }>> {
  const rows = await db.selectFrom('concurrency_limits').select(['key', 'limit']).orderBy('key').execute();
  return rows.map((r) => ({ key: r.key, limit: Number(r.limit) }));
}
