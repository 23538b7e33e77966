import type { ForgePullRequestsTable } from '../../schema.ts';
import type { Db } from '../db.ts';

export async function insertForgePullRequest(db: Db, row: ForgePullRequestsTable): Promise<void> {
  await db.insertInto('forge_pull_requests').values(row).execute();
}
