import type { IssueRecord } from '../../../domain/issues/issueRecord.ts';
import type { Db } from '../db.ts';
import { issueFromRow } from './issueRow.ts';

/** Every issue of the trees a run owns, in sibling order; `buildIssueTree` nests them. */
export async function listRunIssues(db: Db, runId: string): Promise<IssueRecord[]> {
  const rows = await db
    .selectFrom('issues')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('position')
    .orderBy('number')
    .execute();
  return rows.map(issueFromRow);
}
