import type { Db } from './db.ts';

export async function insertIdempotencyKey(
  db: Db,
  scope: string,
  key: string,
  resourceId: string,
  requestHash: string,
  now: number,
): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({ scope, key, resource_id: resourceId, request_hash: requestHash, created_at: now })
    .execute();
}
