import { sql } from 'kysely';
import type { IssueRecord } from '../../../domain/issues/issueRecord.ts';
import type { Db } from '../db.ts';
import { issueFromRow } from './issueRow.ts';

/** The issue of these workspaces mirrored as (or filed from) GitHub issue `repository#number`. */
export async function findIssueByGithubIssue(
  db: Db,
  workspaceIds: readonly string[],
  repository: string,
  number: number,
): Promise<IssueRecord | undefined> {
  if (workspaceIds.length === 0) return undefined;
  const row = await db
    .selectFrom('issues')
    .selectAll()
    .where('github_issue_number', '=', number)
    .where(sql<string>`lower(github_repository)`, '=', repository.toLowerCase())
    .where('workspace_id', 'in', workspaceIds)
    .orderBy('created_at')
    .executeTakeFirst();
  return row ? issueFromRow(row) : undefined;
}
