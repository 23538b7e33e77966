import { z } from 'zod';
import { ISSUE_KINDS } from '../../domain/issues/issueKind.ts';
import type { IssueRecord } from '../../domain/issues/issueRecord.ts';
import { ISSUE_STATUSES } from '../../domain/issues/issueStatus.ts';
import type { NextIssue } from '../../domain/issues/nextRunnable.ts';
import type { IssueView } from '../../engine/systems/issueTreeViews.ts';
import { isoTime, toIso } from './common.ts';

export const issueIdParam = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9a-fA-F-]+$/, 'must be an issue id')
  .describe('an issue id');
export const issueKindSchema = z.enum(ISSUE_KINDS);
export const issueStatusSchema = z.enum(ISSUE_STATUSES);
export const issueTitleSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => s.trim() !== '', 'must not be blank')
  .refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters');
export const issueBodySchema = z
  .string()
  .max(65_536)
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
  .describe('Markdown');

export const issueSchema = z.object({
  id: z.string(),
  workspace: z.string(),
  run_id: z.string().nullable().describe('the run that owns the tree'),
  root_id: z.string(),
  parent_id: z.string().nullable(),
  position: z.number().int().describe('order among its siblings'),
  number: z.number().int().describe('per workspace; the <n> of its branch name'),
  kind: issueKindSchema,
  title: z.string(),
  body: z.string(),
  status: issueStatusSchema,
  branch: z.string().describe('<kind>/<number>-<slug>, fixed at creation'),
  pr_number: z.number().int().nullable(),
  pr_url: z.string().nullable(),
  github_issue_number: z.number().int().nullable(),
  github_repository: z
    .string()
    .nullable()
    .describe('owner/name of the GitHub issue (mirrored by forge/issues, or filed on GitHub)'),
  created_by: z.string().nullable(),
  created_at: isoTime,
  updated_at: isoTime,
});

export const nextIssueSchema = z
  .object({
    action: z.enum(['work', 'complete', 'blocked', 'done']),
    issue_id: z.string().nullable(),
  })
  .describe(
    'what runs next: the first issue not done in sibling order, depth-first (`work` a leaf, `complete` ' +
      'a parent whose descendants are all done, `blocked` waits to be unblocked, `done` nothing left)',
  );

export const issueDetailSchema = issueSchema.extend({
  children: z.array(issueSchema).describe('its children in order'),
  completable: z.boolean().describe('every descendant is done: it may complete'),
  merge_blocked_by: z.array(issueSchema).describe('open defects under it: its branch may not merge yet'),
  next: nextIssueSchema,
});

export const issueOut = (i: IssueRecord): z.infer<typeof issueSchema> => ({
  id: i.id,
  workspace: i.workspaceId,
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
  created_at: toIso(i.createdAt),
  updated_at: toIso(i.updatedAt),
});

export const nextIssueOut = (n: NextIssue): z.infer<typeof nextIssueSchema> => ({
  action: n.action,
  issue_id: n.action === 'done' ? null : n.issue.id,
});

export const issueDetailOut = (v: IssueView): z.infer<typeof issueDetailSchema> => ({
  ...issueOut(v.issue),
  children: v.children.map(issueOut),
  completable: v.completable,
  merge_blocked_by: v.mergeBlockedBy.map(issueOut),
  next: nextIssueOut(v.next),
});
