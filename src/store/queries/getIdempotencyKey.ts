import type { Db } from './db.ts';

export async function getIdempotencyKey(
  db: Db,
  scope: string,
  key: string,
): Promise<{ resourceId: string; requestHash: string } | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['resource_id', 'request_hash'])
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  return row && { resourceId: row.resource_id, requestHash: row.request_hash };
}
