import type { Selectable } from 'kysely';
import type { IssueKind } from '../../../domain/issues/issueKind.ts';
import type { IssuePatch, IssueRecord } from '../../../domain/issues/issueRecord.ts';
import type { IssueStatus } from '../../../domain/issues/issueStatus.ts';
import type { IssuesTable } from '../../schema.ts';

const numOrNull = (v: number | null) => (v === null ? null : Number(v));

export function issueFromRow(r: Selectable<IssuesTable>): IssueRecord {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    runId: r.run_id,
    rootId: r.root_id,
    parentId: r.parent_id,
    position: Number(r.position),
    number: Number(r.number),
    kind: r.kind as IssueKind,
    title: r.title,
    body: r.body,
    status: r.status as IssueStatus,
    branch: r.branch,
    prNumber: numOrNull(r.pr_number),
    prUrl: r.pr_url,
    githubIssueNumber: numOrNull(r.github_issue_number),
    githubRepository: r.github_repository,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function issueToRow(i: IssueRecord): IssuesTable {
  return {
    id: i.id,
    workspace_id: i.workspaceId,
    run_id: i.runId,
    root_id: i.rootId,
    parent_id: i.parentId,
    position: i.position,
    number: i.number,
    kind: i.kind,
    title: i.title,
    body: i.body,
    status: i.status,
    branch: i.branch,
    pr_number: i.prNumber,
    pr_url: i.prUrl,
    github_issue_number: i.githubIssueNumber,
    github_repository: i.githubRepository,
    created_by: i.createdBy,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
  };
}

/** The columns of a patch: only the fields it sets. */
export function issuePatchToRow(p: IssuePatch): Partial<IssuesTable> {
  const out: Partial<IssuesTable> = { updated_at: p.updatedAt };
  if (p.title !== undefined) out.title = p.title;
  if (p.body !== undefined) out.body = p.body;
  if (p.status !== undefined) out.status = p.status;
  if (p.prNumber !== undefined) out.pr_number = p.prNumber;
  if (p.prUrl !== undefined) out.pr_url = p.prUrl;
  if (p.githubIssueNumber !== undefined) out.github_issue_number = p.githubIssueNumber;
  if (p.githubRepository !== undefined) out.github_repository = p.githubRepository;
  return out;
}
