import type { IssueRecord } from '../../../domain/issues/issueRecord.ts';
import type { Db } from '../db.ts';
import { issueFromRow } from './issueRow.ts';

export async function getIssue(db: Db, id: string): Promise<IssueRecord | undefined> {
  const row = await db.selectFrom('issues').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? issueFromRow(row) : undefined;
}
