import type { ChangedFile, CommitInfo } from './git.ts';
import { userJson, type Schemas } from './shapes.ts';
import { nodeId, type FakeRepo, type FakeUser, type GithubState } from './state.ts';

/** The fake's git objects as GitHub's REST API shows them: refs, commits, branches, changed files. */
export function refJson(
  s: GithubState,
  r: FakeRepo,
  ref: string,
  sha: string,
  type: string,
): Schemas['git-ref'] {
  const api = `${s.baseUrl}/repos/${s.fullName(r)}`;
  const kind = type === 'tag' ? 'tags' : type === 'tree' ? 'trees' : type === 'blob' ? 'blobs' : 'commits';
  return {
    ref,
    node_id: nodeId(
      'REF',
      Buffer.from(ref).reduce((a, b) => (a * 31 + b) % 1e9, r.id),
    ),
    url: `${api}/git/${ref}`,
    object: { type, sha, url: `${api}/git/${kind}/${sha}` },
  };
}

function userByEmail(s: GithubState, email: string): FakeUser | undefined {
  const noreply = /^(?:\d+\+)?([^@]+)@users\.noreply\./.exec(email);
  if (noreply?.[1]) return s.users.get(noreply[1].toLowerCase());
  return [...s.users.values()].find((u) => u.email?.toLowerCase() === email.toLowerCase());
}

export function commitJson(s: GithubState, r: FakeRepo, c: CommitInfo): Schemas['commit'] {
  const api = `${s.baseUrl}/repos/${s.fullName(r)}`;
  const author = userByEmail(s, c.author.email);
  const committer = userByEmail(s, c.committer.email);
  return {
    url: `${api}/commits/${c.sha}`,
    sha: c.sha,
    node_id: nodeId('C', Number.parseInt(c.sha.slice(0, 8), 16)),
    html_url: `${s.baseUrl}/${s.fullName(r)}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${c.sha}`,
      author: c.author,
      committer: c.committer,
      message: c.message,
      comment_count: 0,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    author: author ? userJson(s, author) : null,
    committer: committer ? userJson(s, committer) : null,
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/commits/${p}`,
      html_url: `${s.baseUrl}/${s.fullName(r)}/commit/${p}`,
    })),
  };
}

export function branchJson(
  s: GithubState,
  r: FakeRepo,
  name: string,
  c: CommitInfo,
): Schemas['branch-with-protection'] {
  const api = `${s.baseUrl}/repos/${s.fullName(r)}/branches/${encodeURIComponent(name)}`;
  return {
    name,
    commit: commitJson(s, r, c),
    _links: { self: api, html: `${s.baseUrl}/${s.fullName(r)}/tree/${name}` },
    protected: false,
    protection: {
      enabled: false,
      required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
    },
    protection_url: `${api}/protection`,
  };
}

export function shortBranchJson(
  s: GithubState,
  r: FakeRepo,
  name: string,
  sha: string,
): Schemas['short-branch'] {
  return {
    name,
    commit: { sha, url: `${s.baseUrl}/repos/${s.fullName(r)}/commits/${sha}` },
    protected: false,
  };
}

export function diffEntryJson(
  s: GithubState,
  r: FakeRepo,
  sha: string,
  f: ChangedFile,
): Schemas['diff-entry'] {
  const web = `${s.baseUrl}/${s.fullName(r)}`;
  const path = f.filename.split('/').map(encodeURIComponent).join('/');
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${web}/blob/${sha}/${path}`,
    raw_url: `${web}/raw/${sha}/${path}`,
    contents_url: `${s.baseUrl}/repos/${s.fullName(r)}/contents/${path}?ref=${sha}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previousFilename ? { previous_filename: f.previousFilename } : {}),
  };
}
