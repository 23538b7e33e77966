import type { QueueSettings } from '../../domain/records.ts';
import type { Db } from './db.ts';

export async function updateQueueSettings(db: Db, p: Partial<QueueSettings>): Promise<void> {
  const set: Record<string, unknown> = {};
  if (p.paused !== undefined) set.paused = p.paused ? 1 : 0;
  if (p.pausedReason !== undefined) set.paused_reason = p.pausedReason;
  if (p.maxConcurrent !== undefined) set.max_concurrent = p.maxConcurrent;
  if (p.stopOnFailure !== undefined) set.stop_on_failure = p.stopOnFailure ? 1 : 0;
  if (p.updatedAt !== undefined) set.updated_at = p.updatedAt;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('queue_settings').set(set).where('id', '=', 1).execute();
}
