import type { ScheduleRecord } from '../../domain/records.ts';
import { scheduleFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listDueSchedules(db: Db, now: number, limit: number): Promise<ScheduleRecord[]> {
  const rows = await db
    .selectFrom('schedules')
    .selectAll()
    .where('enabled', '=', 1)
    .where('next_at', '<=', now)
    .orderBy('next_at')
    .limit(limit)
    .execute();
  return rows.map(scheduleFromRow);
}
