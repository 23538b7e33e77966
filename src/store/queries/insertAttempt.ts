import type { StepAttemptRecord } from '../../domain/records.ts';
import { attemptPatchToRow } from '../mappers.ts';
import type { Database } from '../schema.ts';
import type { Insertable } from 'kysely';
import type { Db } from './db.ts';

export async function insertAttempt(db: Db, a: StepAttemptRecord): Promise<void> {
  await db
    .insertInto('step_attempts')
    .values(attemptPatchToRow(a) as Insertable<Database['step_attempts']>)
    .execute();
}
