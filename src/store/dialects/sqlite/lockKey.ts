import type { Db } from '../../queries/db.ts';

/** SQLite transactions already hold the database write lock (`BEGIN IMMEDIATE`): nothing to do. */
export async function lockKey(_db: Db, _key: string): Promise<void> {}
