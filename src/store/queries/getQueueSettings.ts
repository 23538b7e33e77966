import type { QueueSettings } from '../../domain/records.ts';
import { queueSettingsFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function getQueueSettings(db: Db): Promise<QueueSettings> {
  const row = await db.selectFrom('queue_settings').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return queueSettingsFromRow(row);
}
