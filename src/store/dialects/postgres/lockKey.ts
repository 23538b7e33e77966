import { sql } from 'kysely';
import type { Db } from '../../queries/db.ts';

/** Transaction-scoped advisory lock: serialises admission of one concurrency key across replicas. */
export async function lockKey(db: Db, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
}
