import type {
  App,
  CheckRunCompletedEvent,
  Commit,
  Committer,
  IssueComment,
  IssueCommentCreatedEvent,
  Label,
  PullRequest,
  PullRequestReview,
  Repository,
  SimplePullRequest,
  User,
} from '@octokit/webhooks-types';
import type { CommitInfo } from './git.ts';
import { authorAssociation, issueLabels, labelJson, repoUrls, userJson } from './shapes.ts';
import {
  nodeId,
  type FakeApp,
  type FakeCheckRun,
  type FakeComment,
  type FakeIssue,
  type FakePull,
  type FakeRepo,
  type FakeReview,
  type FakeUser,
  type GithubState,
  type PullDetails,
} from './state.ts';

/** Webhook payload parts, shaped like `@octokit/webhooks-types` (which differs from the REST shapes in places). */
export function hookUser(s: GithubState, u: FakeUser): User {
  const { user_view_type: _v, starred_at: _s, name: _n, email: _e, ...rest } = userJson(s, u);
  return { ...rest, gravatar_id: '', id: u.id, type: u.type };
}

export function hookRepo(s: GithubState, r: FakeRepo): Repository {
  const open = [...r.issues.values()].filter((i) => i.state === 'open').length;
  return {
    id: r.id,
    node_id: nodeId('R', r.id),
    name: r.name,
    full_name: s.fullName(r),
    private: r.private,
    owner: hookUser(s, r.owner),
    description: r.description,
    fork: false,
    ...repoUrls(s, r),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    pushed_at: r.pushedAt,
    homepage: null,
    size: 1,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: open,
    license: null,
    forks: 0,
    open_issues: open,
    watchers: 0,
    default_branch: r.defaultBranch,
    allow_squash_merge: r.allowSquashMerge,
    allow_merge_commit: r.allowMergeCommit,
    allow_rebase_merge: r.allowRebaseMerge,
    allow_auto_merge: true,
    allow_forking: true,
    allow_update_branch: true,
    delete_branch_on_merge: r.deleteBranchOnMerge,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: r.private ? 'private' : 'public',
    custom_properties: {},
  };
}

export function hookApp(s: GithubState, app: FakeApp): App {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('A', app.id),
    owner: hookUser(s, app.owner),
    name: app.name,
    description: null,
    external_url: `${s.baseUrl}/apps/${app.slug}`,
    html_url: `${s.baseUrl}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
  };
}

const hookLabels = (s: GithubState, r: FakeRepo, i: FakeIssue): Label[] =>
  issueLabels(r, i).map((l) => ({ ...labelJson(s, r, l), id: l.id }));

const reactions = (url: string): IssueComment['reactions'] => ({
  url: `${url}/reactions`,
  total_count: 0,
  '+1': 0,
  '-1': 0,
  laugh: 0,
  hooray: 0,
  confused: 0,
  heart: 0,
  rocket: 0,
  eyes: 0,
});

export function hookSimplePull(s: GithubState, r: FakeRepo, p: FakePull): SimplePullRequest {
  const full = s.fullName(r);
  const api = `${s.baseUrl}/repos/${full}`;
  const url = `${api}/pulls/${p.number}`;
  const html = `${s.baseUrl}/${full}/pull/${p.number}`;
  const i = p.issue;
  const repo = hookRepo(s, r);
  const owner = hookUser(s, r.owner);
  return {
    url,
    id: p.id,
    node_id: nodeId('PR', p.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${p.number}`,
    number: p.number,
    state: i.state,
    locked: i.locked,
    title: i.title,
    user: hookUser(s, i.user),
    body: i.body,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    assignee: i.assignees[0] ? hookUser(s, i.assignees[0]) : null,
    assignees: i.assignees.map((u) => hookUser(s, u)),
    requested_reviewers: p.requestedReviewers.map((u) => hookUser(s, u)),
    requested_teams: [],
    labels: hookLabels(s, r, i),
    milestone: null,
    draft: p.draft,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${p.number}/comments`,
    statuses_url: `${api}/statuses/${p.headSha}`,
    head: { label: `${r.owner.login}:${p.head}`, ref: p.head, sha: p.headSha, user: owner, repo },
    base: { label: `${r.owner.login}:${p.base}`, ref: p.base, sha: p.baseSha, user: owner, repo },
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: `${api}/issues/${p.number}` },
      comments: { href: `${api}/issues/${p.number}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/statuses/${p.headSha}` },
    },
    author_association: authorAssociation(r, i.user),
    auto_merge: p.autoMerge
      ? {
          enabled_by: hookUser(s, p.autoMerge.enabledBy),
          merge_method: p.autoMerge.mergeMethod,
          commit_title: p.autoMerge.commitTitle,
          commit_message: p.autoMerge.commitMessage,
        }
      : null,
    active_lock_reason: null,
  };
}

export function hookPull(s: GithubState, r: FakeRepo, p: FakePull, d: PullDetails): PullRequest {
  return {
    ...hookSimplePull(s, r, p),
    merged: p.merged,
    mergeable: d.mergeable,
    rebaseable: d.rebaseable,
    mergeable_state: d.mergeableState,
    merged_by: p.mergedBy ? hookUser(s, p.mergedBy) : null,
    comments: r.comments.filter((c) => c.issueNumber === p.number).length,
    review_comments: r.reviewComments.filter((c) => c.pullNumber === p.number).length,
    maintainer_can_modify: p.maintainerCanModify,
    commits: d.commits,
    additions: d.additions,
    deletions: d.deletions,
    changed_files: d.changedFiles,
  };
}

export function hookIssue(s: GithubState, r: FakeRepo, i: FakeIssue): IssueCommentCreatedEvent['issue'] {
  const full = s.fullName(r);
  const url = `${s.baseUrl}/repos/${full}/issues/${i.number}`;
  return {
    url,
    repository_url: `${s.baseUrl}/repos/${full}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${s.baseUrl}/${full}/${i.pull ? 'pull' : 'issues'}/${i.number}`,
    id: i.id,
    node_id: nodeId(i.pull ? 'PR' : 'I', i.id),
    number: i.number,
    title: i.title,
    user: hookUser(s, i.user),
    labels: hookLabels(s, r, i),
    state: i.state,
    locked: i.locked,
    assignee: i.assignees[0] ? hookUser(s, i.assignees[0]) : null,
    assignees: i.assignees.map((u) => hookUser(s, u)),
    milestone: null,
    comments: r.comments.filter((c) => c.issueNumber === i.number).length,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    author_association: authorAssociation(r, i.user),
    active_lock_reason: null,
    ...(i.pull
      ? {
          draft: i.pull.draft,
          pull_request: {
            url: `${s.baseUrl}/repos/${full}/pulls/${i.number}`,
            html_url: `${s.baseUrl}/${full}/pull/${i.number}`,
            diff_url: `${s.baseUrl}/${full}/pull/${i.number}.diff`,
            patch_url: `${s.baseUrl}/${full}/pull/${i.number}.patch`,
            merged_at: i.pull.mergedAt,
          },
        }
      : {}),
    body: i.body,
    reactions: reactions(url),
    timeline_url: `${url}/timeline`,
    state_reason: i.stateReason,
    performed_via_github_app: null,
  };
}

export function hookComment(s: GithubState, r: FakeRepo, c: FakeComment): IssueComment {
  const full = s.fullName(r);
  const url = `${s.baseUrl}/repos/${full}/issues/comments/${c.id}`;
  const isPull = r.issues.get(c.issueNumber)?.pull !== undefined;
  return {
    url,
    html_url: `${s.baseUrl}/${full}/${isPull ? 'pull' : 'issues'}/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${s.baseUrl}/repos/${full}/issues/${c.issueNumber}`,
    id: c.id,
    node_id: nodeId('IC', c.id),
    user: hookUser(s, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: authorAssociation(r, c.user),
    body: c.body,
    reactions: reactions(url),
    performed_via_github_app: c.app ? hookApp(s, c.app) : null,
  };
}

const REVIEW_STATE: Record<FakeReview['state'], PullRequestReview['state'] | undefined> = {
  APPROVED: 'approved',
  CHANGES_REQUESTED: 'changes_requested',
  COMMENTED: 'commented',
  DISMISSED: 'dismissed',
  PENDING: undefined,
};

export function hookReview(s: GithubState, r: FakeRepo, v: FakeReview): PullRequestReview {
  const full = s.fullName(r);
  const html = `${s.baseUrl}/${full}/pull/${v.pullNumber}#pullrequestreview-${v.id}`;
  const pr = `${s.baseUrl}/repos/${full}/pulls/${v.pullNumber}`;
  return {
    id: v.id,
    node_id: nodeId('PRR', v.id),
    user: hookUser(s, v.user),
    body: v.body === '' ? null : v.body,
    commit_id: v.commitId,
    submitted_at: v.submittedAt,
    state: REVIEW_STATE[v.state] ?? 'commented',
    html_url: html,
    pull_request_url: pr,
    author_association: authorAssociation(r, v.user),
    _links: { html: { href: html }, pull_request: { href: pr } },
  };
}

export function hookCheckRun(
  s: GithubState,
  r: FakeRepo,
  c: FakeCheckRun,
  pulls: FakePull[],
  headBranch: string | null,
): CheckRunCompletedEvent['check_run'] {
  const api = `${s.baseUrl}/repos/${s.fullName(r)}`;
  const url = `${api}/check-runs/${c.id}`;
  const repoRef = { id: r.id, url: api, name: r.name };
  const prs = pulls.map((p) => ({
    url: `${api}/pulls/${p.number}`,
    id: p.id,
    number: p.number,
    head: { ref: p.head, sha: p.headSha, repo: repoRef },
    base: { ref: p.base, sha: p.baseSha, repo: repoRef },
  }));
  const app = hookApp(s, c.app ?? s.builtinApp());
  const at = c.completedAt ?? c.startedAt ?? '';
  return {
    id: c.id,
    node_id: nodeId('CR', c.id),
    head_sha: c.headSha,
    external_id: c.externalId ?? '',
    url,
    html_url: `${s.baseUrl}/${s.fullName(r)}/runs/${c.id}`,
    details_url: c.detailsUrl ?? `${s.baseUrl}/${s.fullName(r)}/runs/${c.id}`,
    status: 'completed',
    conclusion: c.conclusion,
    started_at: c.startedAt ?? at,
    completed_at: at,
    output: { ...c.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: c.name,
    check_suite: {
      id: c.suiteId,
      node_id: nodeId('CS', c.suiteId),
      head_branch: headBranch,
      head_sha: c.headSha,
      status: 'completed',
      conclusion: c.conclusion === 'skipped' ? 'neutral' : c.conclusion,
      url: `${api}/check-suites/${c.suiteId}`,
      before: null,
      after: c.headSha,
      pull_requests: prs,
      app,
      created_at: c.startedAt ?? at,
      updated_at: at,
    },
    app,
    pull_requests: prs,
  };
}

export function hookCommitter(
  c: { name: string; email: string; date?: string },
  username?: string,
): Committer {
  return {
    name: c.name,
    email: c.email,
    ...(c.date ? { date: c.date } : {}),
    ...(username ? { username } : {}),
  };
}

export function hookCommit(
  s: GithubState,
  r: FakeRepo,
  c: CommitInfo,
  files: { added: string[]; modified: string[]; removed: string[] },
): Commit {
  return {
    id: c.sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message,
    timestamp: c.committer.date,
    url: `${s.baseUrl}/${s.fullName(r)}/commit/${c.sha}`,
    author: hookCommitter(c.author),
    committer: hookCommitter(c.committer),
    ...files,
  };
}
