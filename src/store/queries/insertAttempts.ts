import type { StepAttemptRecord } from '../../domain/records.ts';
import { attemptPatchToRow } from '../mappers.ts';
import type { Database } from '../schema.ts';
import type { Insertable } from 'kysely';
import type { Db } from './db.ts';

export async function insertAttempts(db: Db, attempts: StepAttemptRecord[]): Promise<void> {
  if (attempts.length === 0) return;
  await db
    .insertInto('step_attempts')
    .values(attempts.map((a) => attemptPatchToRow(a) as Insertable<Database['step_attempts']>))
    .execute();
}
