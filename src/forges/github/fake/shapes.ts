import type { components } from '@octokit/openapi-types';
import {
  nodeId,
  type FakeApp,
  type FakeCheckRun,
  type FakeComment,
  type FakeInstallation,
  type FakeIssue,
  type FakeLabel,
  type FakePull,
  type FakeRepo,
  type FakeReview,
  type FakeReviewComment,
  type FakeStatus,
  type FakeUser,
  type GithubState,
  type PullDetails,
} from './state.ts';

/** Response bodies follow GitHub's published REST description. */
export type Schemas = components['schemas'];

export function userJson(s: GithubState, u: FakeUser): Schemas['simple-user'] {
  const api = `${s.baseUrl}/users/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === 'Bot' ? 'BOT' : 'U', u.id),
    avatar_url: `${s.baseUrl}/avatars/u/${u.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${s.baseUrl}/${u.type === 'Bot' ? `apps/${u.login.replace(/\[bot\]$/, '')}` : u.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    site_admin: false,
    user_view_type: 'public',
  };
}

/** The `*_url` fields every repository shape carries. */
export function repoUrls(s: GithubState, r: FakeRepo) {
  const full = s.fullName(r);
  const api = `${s.baseUrl}/repos/${full}`;
  return {
    html_url: `${s.baseUrl}/${full}`,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    git_url: `git://${new URL(s.baseUrl).host}/${full}.git`,
    ssh_url: `git@${new URL(s.baseUrl).hostname}:${full}.git`,
    clone_url: `${s.baseUrl}/${full}.git`,
    svn_url: `${s.baseUrl}/${full}`,
  };
}

const openIssues = (r: FakeRepo): number => [...r.issues.values()].filter((i) => i.state === 'open').length;

function repoBase(s: GithubState, r: FakeRepo) {
  return {
    id: r.id,
    node_id: nodeId('R', r.id),
    name: r.name,
    full_name: s.fullName(r),
    owner: userJson(s, r.owner),
    private: r.private,
    description: r.description,
    fork: false,
    ...repoUrls(s, r),
    default_branch: r.defaultBranch,
    visibility: r.private ? ('private' as const) : ('public' as const),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    pushed_at: r.pushedAt,
  };
}

export function minimalRepoJson(s: GithubState, r: FakeRepo): Schemas['minimal-repository'] {
  return repoBase(s, r);
}

export function repoJson(s: GithubState, r: FakeRepo): Schemas['repository'] {
  const open = openIssues(r);
  return {
    ...repoBase(s, r),
    license: null,
    forks: 0,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    mirror_url: null,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    open_issues_count: open,
    open_issues: open,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    allow_rebase_merge: r.allowRebaseMerge,
    allow_squash_merge: r.allowSquashMerge,
    allow_merge_commit: r.allowMergeCommit,
    allow_auto_merge: true,
    delete_branch_on_merge: r.deleteBranchOnMerge,
    allow_update_branch: true,
    allow_forking: true,
    web_commit_signoff_required: false,
  };
}

export function fullRepoJson(s: GithubState, r: FakeRepo): Schemas['full-repository'] {
  return {
    ...repoJson(s, r),
    has_discussions: false,
    pushed_at: r.pushedAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    subscribers_count: 0,
    network_count: 0,
    squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
    squash_merge_commit_message: 'COMMIT_MESSAGES',
    merge_commit_title: 'MERGE_MESSAGE',
    merge_commit_message: 'PR_TITLE',
  };
}

export function labelJson(s: GithubState, r: FakeRepo, l: FakeLabel): Schemas['label'] {
  return {
    id: l.id,
    node_id: nodeId('LA', l.id),
    url: `${s.baseUrl}/repos/${s.fullName(r)}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    description: l.description,
    color: l.color,
    default: false,
  };
}

export const issueLabels = (r: FakeRepo, i: FakeIssue): FakeLabel[] =>
  i.labels.flatMap((n) => {
    const l = r.labels.get(n.toLowerCase());
    return l ? [l] : [];
  });

const reactions = (url: string): Schemas['reaction-rollup'] => ({
  url: `${url}/reactions`,
  total_count: 0,
  '+1': 0,
  '-1': 0,
  laugh: 0,
  confused: 0,
  heart: 0,
  hooray: 0,
  eyes: 0,
  rocket: 0,
});

export const authorAssociation = (r: FakeRepo, u: FakeUser): Schemas['author-association'] =>
  u.id === r.owner.id ? 'OWNER' : u.type === 'Bot' ? 'NONE' : 'COLLABORATOR';

export function issueJson(s: GithubState, r: FakeRepo, i: FakeIssue): Schemas['issue'] {
  const full = s.fullName(r);
  const url = `${s.baseUrl}/repos/${full}/issues/${i.number}`;
  const commentCount = r.comments.filter((c) => c.issueNumber === i.number).length;
  return {
    id: i.id,
    node_id: nodeId(i.pull ? 'PR' : 'I', i.id),
    url,
    repository_url: `${s.baseUrl}/repos/${full}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${s.baseUrl}/${full}/${i.pull ? 'pull' : 'issues'}/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: userJson(s, i.user),
    labels: issueLabels(r, i).map((l) => labelJson(s, r, l)),
    assignee: i.assignees[0] ? userJson(s, i.assignees[0]) : null,
    assignees: i.assignees.map((u) => userJson(s, u)),
    milestone: null,
    locked: i.locked,
    active_lock_reason: null,
    comments: commentCount,
    ...(i.pull
      ? {
          pull_request: {
            url: `${s.baseUrl}/repos/${full}/pulls/${i.number}`,
            html_url: `${s.baseUrl}/${full}/pull/${i.number}`,
            diff_url: `${s.baseUrl}/${full}/pull/${i.number}.diff`,
            patch_url: `${s.baseUrl}/${full}/pull/${i.number}.patch`,
            merged_at: i.pull.mergedAt,
          },
          draft: i.pull.draft,
        }
      : {}),
    closed_at: i.closedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_by: i.closedBy ? userJson(s, i.closedBy) : null,
    author_association: authorAssociation(r, i.user),
    reactions: reactions(url),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
  };
}

function pullCommon(s: GithubState, r: FakeRepo, p: FakePull) {
  const full = s.fullName(r);
  const api = `${s.baseUrl}/repos/${full}`;
  const url = `${api}/pulls/${p.number}`;
  const html = `${s.baseUrl}/${full}/pull/${p.number}`;
  const i = p.issue;
  const side = (ref: string, sha: string) => ({
    label: `${r.owner.login}:${ref}`,
    ref,
    sha,
    repo: repoJson(s, r),
    user: userJson(s, r.owner),
  });
  return {
    url,
    id: p.id,
    node_id: nodeId('PR', p.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${p.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${p.number}/comments`,
    statuses_url: `${api}/statuses/${p.headSha}`,
    number: p.number,
    state: i.state,
    locked: i.locked,
    title: i.title,
    user: userJson(s, i.user),
    body: i.body,
    labels: issueLabels(r, i).map((l) => ({ ...labelJson(s, r, l), description: l.description ?? '' })),
    milestone: null,
    active_lock_reason: null,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    assignee: i.assignees[0] ? userJson(s, i.assignees[0]) : null,
    assignees: i.assignees.map((u) => userJson(s, u)),
    requested_reviewers: p.requestedReviewers.map((u) => userJson(s, u)),
    requested_teams: [],
    head: side(p.head, p.headSha),
    base: side(p.base, p.baseSha),
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
          enabled_by: userJson(s, p.autoMerge.enabledBy),
          merge_method: p.autoMerge.mergeMethod,
          commit_title: p.autoMerge.commitTitle,
          commit_message: p.autoMerge.commitMessage,
        }
      : null,
    draft: p.draft,
  };
}

export function pullSimpleJson(s: GithubState, r: FakeRepo, p: FakePull): Schemas['pull-request-simple'] {
  return pullCommon(s, r, p);
}

export function pullJson(s: GithubState, r: FakeRepo, p: FakePull, d: PullDetails): Schemas['pull-request'] {
  return {
    ...pullCommon(s, r, p),
    merged: p.merged,
    mergeable: d.mergeable,
    rebaseable: d.rebaseable,
    mergeable_state: d.mergeableState,
    merged_by: p.mergedBy ? userJson(s, p.mergedBy) : null,
    comments: r.comments.filter((c) => c.issueNumber === p.number).length,
    review_comments: r.reviewComments.filter((c) => c.pullNumber === p.number).length,
    maintainer_can_modify: p.maintainerCanModify,
    commits: d.commits,
    additions: d.additions,
    deletions: d.deletions,
    changed_files: d.changedFiles,
  };
}

export function integrationJson(s: GithubState, app: FakeApp): NonNullable<Schemas['integration']> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('A', app.id),
    client_id: app.clientId,
    owner: userJson(s, app.owner),
    name: app.name,
    description: null,
    external_url: `${s.baseUrl}/apps/${app.slug}`,
    html_url: `${s.baseUrl}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: app.permissions,
    events: app.events,
  };
}

export function commentJson(s: GithubState, r: FakeRepo, c: FakeComment): Schemas['issue-comment'] {
  const full = s.fullName(r);
  const url = `${s.baseUrl}/repos/${full}/issues/comments/${c.id}`;
  const isPull = r.issues.get(c.issueNumber)?.pull !== undefined;
  return {
    id: c.id,
    node_id: nodeId('IC', c.id),
    url,
    html_url: `${s.baseUrl}/${full}/${isPull ? 'pull' : 'issues'}/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: userJson(s, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${s.baseUrl}/repos/${full}/issues/${c.issueNumber}`,
    author_association: authorAssociation(r, c.user),
    performed_via_github_app: c.app ? integrationJson(s, c.app) : null,
    reactions: reactions(url),
  };
}

export function reviewJson(s: GithubState, r: FakeRepo, v: FakeReview): Schemas['pull-request-review'] {
  const full = s.fullName(r);
  const html = `${s.baseUrl}/${full}/pull/${v.pullNumber}#pullrequestreview-${v.id}`;
  const pr = `${s.baseUrl}/repos/${full}/pulls/${v.pullNumber}`;
  return {
    id: v.id,
    node_id: nodeId('PRR', v.id),
    user: userJson(s, v.user),
    body: v.body,
    state: v.state,
    html_url: html,
    pull_request_url: pr,
    _links: { html: { href: html }, pull_request: { href: pr } },
    ...(v.submittedAt ? { submitted_at: v.submittedAt } : {}),
    commit_id: v.commitId,
    author_association: authorAssociation(r, v.user),
  };
}

export function reviewCommentJson(
  s: GithubState,
  r: FakeRepo,
  c: FakeReviewComment,
): Schemas['pull-request-review-comment'] {
  const full = s.fullName(r);
  const url = `${s.baseUrl}/repos/${full}/pulls/comments/${c.id}`;
  const html = `${s.baseUrl}/${full}/pull/${c.pullNumber}#discussion_r${c.id}`;
  const pr = `${s.baseUrl}/repos/${full}/pulls/${c.pullNumber}`;
  return {
    url,
    pull_request_review_id: c.reviewId,
    id: c.id,
    node_id: nodeId('PRRC', c.id),
    diff_hunk: c.diffHunk,
    path: c.path,
    position: c.position,
    original_position: c.position,
    commit_id: c.commitId,
    original_commit_id: c.commitId,
    user: userJson(s, c.user),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    html_url: html,
    pull_request_url: pr,
    author_association: authorAssociation(r, c.user),
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pr } },
    start_line: c.startLine,
    original_start_line: c.startLine,
    start_side: c.startLine === null ? null : c.side,
    line: c.line,
    original_line: c.line,
    side: c.side,
    subject_type: 'line',
    reactions: reactions(url),
  };
}

export function checkRunJson(
  s: GithubState,
  r: FakeRepo,
  c: FakeCheckRun,
  pulls: FakePull[],
): Schemas['check-run'] {
  const api = `${s.baseUrl}/repos/${s.fullName(r)}`;
  const url = `${api}/check-runs/${c.id}`;
  const repoRef = { id: r.id, url: api, name: r.name };
  return {
    id: c.id,
    head_sha: c.headSha,
    node_id: nodeId('CR', c.id),
    external_id: c.externalId ?? '',
    url,
    html_url: `${s.baseUrl}/${s.fullName(r)}/runs/${c.id}`,
    details_url: c.detailsUrl ?? `${s.baseUrl}/${s.fullName(r)}/runs/${c.id}`,
    status: c.status,
    conclusion: c.conclusion,
    started_at: c.startedAt,
    completed_at: c.completedAt,
    output: { ...c.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: c.name,
    check_suite: { id: c.suiteId },
    app: c.app ? integrationJson(s, c.app) : null,
    pull_requests: pulls.map((p) => ({
      id: p.id,
      number: p.number,
      url: `${api}/pulls/${p.number}`,
      head: { ref: p.head, sha: p.headSha, repo: repoRef },
      base: { ref: p.base, sha: p.baseSha, repo: repoRef },
    })),
  };
}

export function statusJson(s: GithubState, r: FakeRepo, st: FakeStatus): Schemas['status'] {
  return {
    url: `${s.baseUrl}/repos/${s.fullName(r)}/statuses/${st.sha}`,
    avatar_url: `${s.baseUrl}/avatars/u/${st.creator.id}?v=4`,
    id: st.id,
    node_id: nodeId('SC', st.id),
    state: st.state,
    description: st.description,
    target_url: st.targetUrl,
    context: st.context,
    created_at: st.createdAt,
    updated_at: st.updatedAt,
    creator: userJson(s, st.creator),
  };
}

export function simpleStatusJson(
  s: GithubState,
  r: FakeRepo,
  st: FakeStatus,
): Schemas['simple-commit-status'] {
  const { creator: _creator, ...rest } = statusJson(s, r, st);
  return rest;
}

/** Registered permissions are GitHub's permission names with 'read' | 'write' (checked on registration). */
export const appPermissions = (p: Record<string, string>): Schemas['app-permissions'] => p;

export function installationJson(s: GithubState, i: FakeInstallation): Schemas['installation'] {
  return {
    id: i.id,
    account: userJson(s, i.account),
    repository_selection: i.repositories === 'all' ? 'all' : 'selected',
    access_tokens_url: `${s.baseUrl}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${s.baseUrl}/installation/repositories`,
    html_url: `${s.baseUrl}/settings/installations/${i.id}`,
    app_id: i.app.id,
    client_id: i.app.clientId,
    target_id: i.account.id,
    target_type: i.account.type === 'Organization' ? 'Organization' : 'User',
    permissions: appPermissions(i.permissions),
    events: i.app.events,
    created_at: i.createdAt,
    updated_at: i.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    app_slug: i.app.slug,
    suspended_by: null,
    suspended_at: null,
  };
}
