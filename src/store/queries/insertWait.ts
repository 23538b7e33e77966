import type { Insertable } from 'kysely';
import type { WaitRecord } from '../../domain/records.ts';
import { waitToRow } from '../mappers.ts';
import type { Database } from '../schema.ts';
import type { Db } from './db.ts';

export async function insertWait(db: Db, w: WaitRecord): Promise<void> {
  await db
    .insertInto('waits')
    .values(waitToRow(w) as Insertable<Database['waits']>)
    .execute();
}
