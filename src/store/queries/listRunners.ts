import type { RunnerRecord } from '../../domain/records.ts';
import { runnerFromRow } from '../mappers.ts';
import type { Db } from './db.ts';

export async function listRunners(db: Db): Promise<RunnerRecord[]> {
  const rows = await db.selectFrom('runners').selectAll().orderBy('heartbeat_at', 'desc').execute();
  return rows.map(runnerFromRow);
}
