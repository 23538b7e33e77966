import type { Millis } from '../records.ts';
import type { IssueKind } from './issueKind.ts';
import type { IssueStatus } from './issueStatus.ts';

/** One node of an issue tree (epic → features → tasks, defects anywhere). */
export interface IssueRecord {
  id: string;
  workspaceId: string;
  /** the run that owns the tree (null: a tree outside any run); every node of a tree has its root's */
  runId: string | null;
  /** the top of the tree (itself for a root): a whole tree is read and locked by it */
  rootId: string;
  parentId: string | null;
  /** order among its siblings (roots: their number, i.e. creation order) */
  position: number;
  /** per workspace, increasing: the `<n>` of `epic/<n>-<slug>` */
  number: number;
  kind: IssueKind;
  title: string;
  body: string;
  status: IssueStatus;
  /** fixed at creation (`<kind>/<number>-<slug>`): renaming the issue does not move its branch */
  branch: string;
  /** filled by forge steps */
  prNumber: number | null;
  prUrl: string | null;
  /** the GitHub issue mirroring this one (sync, later) */
  githubIssueNumber: number | null;
  /** the repository (`owner/name`) that GitHub issue is in */
  githubRepository: string | null;
  createdBy: string | null;
  createdAt: Millis;
  updatedAt: Millis;
}

/** What may change on an issue after creation (its place in the tree, number and branch never do). */
export type IssuePatch = Partial<
  Pick<
    IssueRecord,
    'title' | 'body' | 'status' | 'prNumber' | 'prUrl' | 'githubIssueNumber' | 'githubRepository'
  >
> & { updatedAt: IssueRecord['updatedAt'] };
