import type { IssueRecord } from '../../../domain/issues/issueRecord.ts';
import type { Db } from '../db.ts';
import { issueFromRow } from './issueRow.ts';

/** Every issue of one tree (by its root), in sibling order; `buildIssueTree` nests them. */
export async function listIssueTree(db: Db, rootId: string): Promise<IssueRecord[]> {
  const rows = await db
    .selectFrom('issues')
    .selectAll()
    .where('root_id', '=', rootId)
    .orderBy('position')
    .orderBy('number')
    .execute();
  return rows.map(issueFromRow);
}
