import type { KeyObject } from 'node:crypto';
import type { GitRunner } from './git.ts';

export type UserType = 'User' | 'Bot' | 'Organization';
export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface FakeUser {
  login: string;
  id: number;
  type: UserType;
  name?: string;
  email?: string;
}

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'reopened' | 'not_planned' | null;
  user: FakeUser;
  labels: string[];
  assignees: FakeUser[];
  locked: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: FakeUser | null;
  /** set when this issue is a pull request */
  pull?: FakePull;
}

export interface FakeAutoMerge {
  enabledBy: FakeUser;
  mergeMethod: MergeMethod;
  commitTitle: string;
  commitMessage: string;
}

/** What only git can tell about a pull request (computed per request, frozen at merge). */
export interface PullDetails {
  mergeable: boolean | null;
  rebaseable: boolean | null;
  mergeableState: string;
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
}

export interface FakePull {
  id: number;
  number: number;
  issue: FakeIssue;
  /** branch names in the same repository (forks are not modelled) */
  head: string;
  base: string;
  /** last known tips (refreshed from the bare repository while open) */
  headSha: string;
  baseSha: string;
  draft: boolean;
  maintainerCanModify: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: FakeUser | null;
  mergeCommitSha: string | null;
  requestedReviewers: FakeUser[];
  requestedTeams: string[];
  autoMerge: FakeAutoMerge | null;
  /** the details as they were just before the merge */
  frozen?: PullDetails;
  /** the merge base at merge time (files and commits keep showing the PR's changes afterwards) */
  diffBase?: string;
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: FakeUser;
  app: FakeApp | null;
  createdAt: string;
  updatedAt: string;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING' | 'DISMISSED';

export interface FakeReview {
  id: number;
  pullNumber: number;
  user: FakeUser;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt: string | null;
}

export interface FakeReviewComment {
  id: number;
  reviewId: number;
  pullNumber: number;
  path: string;
  position: number;
  line: number;
  side: 'LEFT' | 'RIGHT';
  startLine: number | null;
  body: string;
  user: FakeUser;
  commitId: string;
  diffHunk: string;
  createdAt: string;
  updatedAt: string;
}

export type CheckStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
export type CheckConclusion =
  'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required';

export interface FakeCheckRun {
  id: number;
  suiteId: number;
  headSha: string;
  name: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  startedAt: string | null;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  app: FakeApp | null;
}

export type StatusState = 'error' | 'failure' | 'pending' | 'success';

export interface FakeStatus {
  id: number;
  sha: string;
  state: StatusState;
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: FakeUser;
  createdAt: string;
  updatedAt: string;
}

export interface FakeDispatch {
  kind: 'repository_dispatch' | 'workflow_dispatch';
  /** repository_dispatch */
  eventType?: string;
  clientPayload?: unknown;
  /** workflow_dispatch: the workflow id or file name from the path */
  workflowId?: string;
  ref?: string;
  inputs?: unknown;
  sender: FakeUser;
  at: string;
}

/** A `PUT /repos/{o}/{r}/pulls/{n}/merge` as it was asked (successful or not). */
export interface FakeMergeCall {
  pullNumber: number;
  mergeMethod: string;
  sha?: string;
  status: number;
  sender: FakeUser;
}

export interface FakeRepo {
  id: number;
  owner: FakeUser;
  name: string;
  gitDir: string;
  defaultBranch: string;
  private: boolean;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  deleteBranchOnMerge: boolean;
  allowMergeCommit: boolean;
  allowSquashMerge: boolean;
  allowRebaseMerge: boolean;
  nextNumber: number;
  issues: Map<number, FakeIssue>;
  comments: FakeComment[];
  reviews: FakeReview[];
  reviewComments: FakeReviewComment[];
  checkRuns: FakeCheckRun[];
  statuses: FakeStatus[];
  labels: Map<string, FakeLabel>;
  dispatches: FakeDispatch[];
  merges: FakeMergeCall[];
}

export interface FakeApp {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  owner: FakeUser;
  /** null for the fake's built-in app (no JWTs) */
  publicKey: KeyObject | null;
  /** `slug[bot]`, the author of what the app's installation tokens do */
  bot: FakeUser;
  /** lifetime of installation tokens, seconds */
  tokenTtlSec: number;
  permissions: Record<string, string>;
  events: string[];
  createdAt: string;
}

export interface FakeInstallation {
  id: number;
  app: FakeApp;
  account: FakeUser;
  /** 'all' or full names `owner/name` */
  repositories: 'all' | string[];
  permissions: Record<string, string>;
  createdAt: string;
}

export interface FakeToken {
  token: string;
  user: FakeUser;
  installation?: FakeInstallation;
  /** epoch ms; absent: never expires */
  expiresAt?: number;
  /** narrowed at creation: full names */
  repositories?: string[];
  /** installation tokens: the permissions granted (recorded, not enforced) */
  permissions?: Record<string, string>;
}

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; user: FakeUser; token: FakeToken }
  | { kind: 'installation'; user: FakeUser; token: FakeToken; installation: FakeInstallation }
  | { kind: 'app'; app: FakeApp };

/** GitHub's timestamp format: ISO 8601 in UTC, seconds precision. */
export const stamp = (ms = Date.now()): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const nodeId = (kind: string, id: number): string =>
  `${kind}_${Buffer.from(`0:${kind}${id}`).toString('base64url')}`;

/** All the in-memory state of one fake GitHub. */
export class GithubState {
  readonly users = new Map<string, FakeUser>();
  readonly repos = new Map<string, FakeRepo>();
  readonly apps = new Map<number, FakeApp>();
  readonly installations = new Map<number, FakeInstallation>();
  readonly tokens = new Map<string, FakeToken>();
  private nextId = 1000;
  private builtin: FakeApp | undefined;

  constructor(
    /** `http://127.0.0.1:PORT` (REST, git and "web" URLs share it) */
    readonly baseUrl: string,
    /** the directory holding `owner/name.git` */
    readonly projectRoot: string,
    readonly git: GitRunner,
  ) {}

  id(): number {
    return this.nextId++;
  }

  /** The app credited with check runs made by a personal token (GitHub would refuse those; see `checksRequireApp`). */
  builtinApp(): FakeApp {
    this.builtin ??= {
      id: 15368,
      slug: 'github-actions',
      name: 'GitHub Actions',
      clientId: 'Iv1.github-actions',
      owner: this.user('github', 'Organization'),
      publicKey: null,
      bot: this.user('github-actions[bot]', 'Bot'),
      tokenTtlSec: 3600,
      permissions: { checks: 'write', contents: 'write', metadata: 'read' },
      events: ['check_run', 'push'],
      createdAt: '2018-07-30T09:30:17Z',
    };
    return this.builtin;
  }

  user(login: string, type: UserType = 'User'): FakeUser {
    let u = this.users.get(login.toLowerCase());
    if (!u) {
      u = { login, id: this.id(), type };
      this.users.set(login.toLowerCase(), u);
    }
    return u;
  }

  repo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  fullName(r: FakeRepo): string {
    return `${r.owner.login}/${r.name}`;
  }

  /** The installation of any app on a repository (the first one registered). */
  installationFor(r: FakeRepo, appId?: number): FakeInstallation | undefined {
    const full = this.fullName(r).toLowerCase();
    for (const i of this.installations.values()) {
      if (appId !== undefined && i.app.id !== appId) continue;
      if (i.account.login.toLowerCase() !== r.owner.login.toLowerCase()) continue;
      if (i.repositories === 'all' || i.repositories.some((n) => n.toLowerCase() === full)) return i;
    }
    return undefined;
  }

  /** Can this caller see the repository at all (GitHub answers 404 when not)? */
  canSee(p: Principal, r: FakeRepo): boolean {
    if (p.kind === 'installation') {
      const full = this.fullName(r).toLowerCase();
      const narrowed = p.token.repositories;
      if (narrowed && !narrowed.some((n) => n.toLowerCase() === full)) return false;
      return this.installationFor(r, p.installation.app.id)?.id === p.installation.id;
    }
    if (p.kind === 'user') return true;
    return !r.private;
  }
}
