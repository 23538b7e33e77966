import type { UsesExecSpec } from '../domain/records.ts';
import type { StepJob } from '../engine/ports/stepExecutor.ts';
import type { Forge } from '../forges/Forge.ts';
import type { RepoMirror } from '../forges/git/repoMirror.ts';
import type { Worktrees } from '../forges/git/worktrees.ts';
import type { RunLookup } from '../runners/agent/sweepAgentHomes.ts';

/** A repository an action names, resolved: its forge, and how that forge names it. */
export interface ResolvedRepo {
  /** the stable name (`owner/name`, or the path for an unregistered local repository) */
  name: string;
  /** what the forge's methods take (the bare repository's path for the local forge, owner/name on GitHub) */
  ref: string;
  forge: Forge;
}

/** Finds the repository a `with.repository` names, in the run's workspace. */
export interface RepoResolver {
  resolve(workspaceId: string, repository: string, signal: AbortSignal): Promise<ResolvedRepo>;
}

/** The issue tree, as the forge actions need it (branches, PR targets, merge gating). */
export interface IssueAccess {
  /** the issue's branch, the branch it starts from, its PR's target, and the open defects blocking its merge */
  plan(issueId: string): Promise<{ branch: string; base: string; prTarget: string; blockedBy: string[] }>;
  /** records the issue's pull request */
  setPullRequest(issueId: string, number: number, url: string): Promise<void>;
  /** the issue and every issue under it, depth-first in sibling order (parents before children) */
  subtree(issueId: string): Promise<SubtreeIssue[]>;
  /** records the GitHub issue mirroring the issue (`owner/name` and number) */
  setGithubIssue(issueId: string, repository: string, number: number): Promise<void>;
  /** what the execution loop does next under the issue (a leaf to work on, a parent to complete…) */
  next(issueId: string): Promise<NextIssueStep>;
  /** marks an open issue in progress (a no-op for any other status) */
  start(issueId: string, by: string): Promise<void>;
  /** completes the issue (refused while anything under it is not done); false when it already was */
  complete(issueId: string, by: string): Promise<{ completed: boolean; issue: IssueSummary }>;
  /** the issue as the actions show it */
  get(issueId: string): Promise<IssueSummary>;
  /** the branches from the root down to the issue, each with the branch it starts from */
  chain(issueId: string): Promise<Array<{ branch: string; base: string }>>;
}

/** One issue, as the `issues/*` actions report it. */
export interface IssueSummary {
  id: string;
  number: number;
  kind: string;
  title: string;
  body: string;
  status: string;
  parentId: string | null;
  prNumber: number | null;
  /** its branch, the branch it starts from, and its pull request's target */
  branch: string;
  base: string;
  prTarget: string;
}

/** The next move of the execution loop over a subtree (`nextRunnable`), with the issue it is about. */
export type NextIssueStep =
  { action: 'work' | 'complete' | 'blocked'; issue: IssueSummary } | { action: 'done' };

/** One issue of a subtree, as the issue sync needs it. */
export interface SubtreeIssue {
  id: string;
  parentId: string | null;
  kind: string;
  title: string;
  body: string;
  done: boolean;
  /** its place among its siblings, from 1 (null for a root: it has none) */
  order: number | null;
  siblings: number;
  /** its GitHub issue, when synced before (or filed on GitHub), and that issue's repository */
  githubIssueNumber: number | null;
  githubRepository: string | null;
  /** its parent's GitHub issue, when synced before */
  parentGithubIssueNumber: number | null;
}

/** What an action runs with. */
export interface ActionContext {
  job: StepJob & { uses: UsesExecSpec };
  /** `<run>:<step>:<iteration>`: every side effect carries it (a step that runs twice acts once) */
  idempotencyKey: string;
  signal: AbortSignal;
  log(line: string): Promise<void>;
  repos: RepoResolver;
  mirrors: (repo: ResolvedRepo, signal: AbortSignal) => Promise<{ mirror: RepoMirror; dir: string }>;
  worktrees: Worktrees;
  /** absent: `issue:` inputs are refused */
  issues?: IssueAccess;
  /** a run's status (absent: worktrees of other runs are never taken over) */
  getRun?: RunLookup;
}

/** The issue access, or a clear error for an action given `issue:` without it. */
export function issuesOf(ctx: ActionContext): IssueAccess {
  if (!ctx.issues) throw new Error('this runner has no access to the issue tree');
  return ctx.issues;
}

/** One action: its checked `with:` in, string outputs out (errors: BatonError, with `retryable`). */
export type ActionHandler<I> = (input: I, ctx: ActionContext) => Promise<Record<string, string>>;
