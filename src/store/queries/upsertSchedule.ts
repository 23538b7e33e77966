import type { ScheduleRecord } from '../../domain/records.ts';
import { toJson } from '../mappers.ts';
import type { Db } from './db.ts';

/** Keeps `next_at`/`last_slot` of an existing schedule unless its cron or timezone changed. */
export async function upsertSchedule(db: Db, s: ScheduleRecord): Promise<void> {
  const existing = await db.selectFrom('schedules').selectAll().where('id', '=', s.id).executeTakeFirst();
  const row = {
    id: s.id,
    workflow_name: s.workflowName,
    cron: s.cron,
    timezone: s.timezone,
    inputs: toJson(s.inputs),
    next_at: s.nextAt,
    last_slot: s.lastSlot,
    enabled: s.enabled ? 1 : 0,
    updated_at: s.updatedAt,
  };
  if (!existing) {
    await db.insertInto('schedules').values(row).execute();
    return;
  }
  const sameTiming = existing.cron === s.cron && existing.timezone === s.timezone;
  await db
    .updateTable('schedules')
    .set({ ...row, next_at: sameTiming ? existing.next_at : s.nextAt, last_slot: existing.last_slot })
    .where('id', '=', s.id)
    .execute();
}
