import type { IssueRecord } from '../../../domain/issues/issueRecord.ts';
import type { Db } from '../db.ts';
import { issueToRow } from './issueRow.ts';

export async function insertIssue(db: Db, issue: IssueRecord): Promise<void> {
  await db.insertInto('issues').values(issueToRow(issue)).execute();
}
