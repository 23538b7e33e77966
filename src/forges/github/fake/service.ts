import { join } from 'node:path';
import type {
  InstallationLite,
  PullRequestClosedEvent,
  PullRequestSynchronizeEvent,
  PushEvent,
} from '@octokit/webhooks-types';
import { GITHUB_COMMITTER, type GitIdentity, type GitRunner } from './git.ts';
import { hookCommit, hookCommitter, hookPull, hookRepo, hookUser } from './hookShapes.ts';
import { fail, ok, type Answer } from './http.ts';
import type { Schemas } from './shapes.ts';
import {
  nodeId,
  stamp,
  type FakeIssue,
  type FakePull,
  type FakeRepo,
  type FakeUser,
  type GithubState,
  type MergeMethod,
  type PullDetails,
} from './state.ts';
import { sendDelivery, type Delivery, type WebhookTarget } from './webhooks.ts';

export interface CreateRepoOptions {
  /** default 'main' */
  defaultBranch?: string;
  /** the initial commit's files (default a README); `{}` leaves the repository empty */
  files?: Record<string, string>;
  message?: string;
  private?: boolean;
  description?: string;
  deleteBranchOnMerge?: boolean;
  allowMergeCommit?: boolean;
  allowSquashMerge?: boolean;
  allowRebaseMerge?: boolean;
}

export interface CommitFilesOptions {
  branch: string;
  /** path → content; null deletes the path */
  files: Record<string, string | null>;
  message?: string;
  /** when `branch` does not exist yet, start it here (default: the default branch) */
  from?: string;
  /** login of the author (default: the repository owner) */
  author?: string;
}

const ZERO = '0'.repeat(40);
const MERGE_DOCS = 'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request';

export const identityOf = (u: FakeUser): GitIdentity => ({
  name: u.name ?? u.login,
  email: u.email ?? `${u.id}+${u.login}@users.noreply.github.com`,
});

/** The fake's behaviour: git-backed repositories, pull requests, merges, and webhook emission. */
export class GithubService {
  webhook: WebhookTarget | undefined;
  readonly deliveries: Delivery[] = [];
  private queue: Promise<void> = Promise.resolve();
  /** aborts deliveries in flight (on close) */
  readonly stop = new AbortController();

  constructor(
    readonly state: GithubState,
    readonly git: GitRunner,
  ) {}

  // ── webhooks ────────────────────────────────────────────────────────────

  /** Builds and queues an automatic delivery when a webhook is configured for this event. */
  async emit(event: string, build: () => object | Promise<object>): Promise<void> {
    const target = this.webhook;
    if (!target || (target.events && !target.events.includes(event))) return;
    const payload = await build();
    this.queue = this.queue.then(async () => {
      if (this.stop.signal.aborted) return;
      this.record(await sendDelivery(event, payload, target, { signal: this.stop.signal }));
    });
  }

  /** Keeps a sent delivery, numbered like `GET /app/hook/deliveries` (1, 2, …). */
  record(d: Delivery): Delivery {
    d.hookDeliveryId = this.deliveries.length + 1;
    this.deliveries.push(d);
    return d;
  }

  /**
   * `POST /app/hook/deliveries/{id}/attempts`: queues the same payload with the same
   * `X-GitHub-Delivery`, sent (signed) to the configured webhook, else where it first went, and
   * recorded as a redelivery.
   */
  redeliver(original: Delivery): void {
    const to = this.webhook ?? original.target;
    this.queue = this.queue.then(async () => {
      if (this.stop.signal.aborted) return;
      this.record(
        await sendDelivery(original.event, original.payload, to, {
          signal: this.stop.signal,
          redeliveryOf: original.id,
        }),
      );
    });
  }

  /** Resolves once every queued automatic delivery was answered (or failed). */
  settled(): Promise<void> {
    return this.queue;
  }

  installationLite(r: FakeRepo): InstallationLite | undefined {
    const i = this.state.installationFor(r);
    return i ? { id: i.id, node_id: nodeId('MDIz', i.id) } : undefined;
  }

  /** `repository`, `sender` and (for an App's repository) `installation` of a delivery */
  envelope(r: FakeRepo, sender: FakeUser) {
    const inst = this.installationLite(r);
    return {
      repository: hookRepo(this.state, r),
      sender: hookUser(this.state, sender),
      ...(inst ? { installation: inst } : {}),
    };
  }

  // ── repositories ────────────────────────────────────────────────────────

  async createRepo(owner: string, name: string, o: CreateRepoOptions = {}): Promise<FakeRepo> {
    const s = this.state;
    if (s.repo(owner, name)) throw new Error(`repository ${owner}/${name} already exists`);
    const defaultBranch = o.defaultBranch ?? 'main';
    const ownerUser = s.user(owner);
    const gitDir = join(s.projectRoot, ownerUser.login, `${name}.git`);
    await this.git.initBare(gitDir, defaultBranch);
    const now = stamp();
    const r: FakeRepo = {
      id: s.id(),
      owner: ownerUser,
      name,
      gitDir,
      defaultBranch,
      private: o.private ?? false,
      description: o.description ?? null,
      createdAt: now,
      updatedAt: now,
      pushedAt: now,
      deleteBranchOnMerge: o.deleteBranchOnMerge ?? false,
      allowMergeCommit: o.allowMergeCommit ?? true,
      allowSquashMerge: o.allowSquashMerge ?? true,
      allowRebaseMerge: o.allowRebaseMerge ?? true,
      nextNumber: 1,
      issues: new Map(),
      comments: [],
      reviews: [],
      reviewComments: [],
      checkRuns: [],
      statuses: [],
      labels: new Map(),
      dispatches: [],
      merges: [],
    };
    const files = o.files ?? { 'README.md': `# ${name}\n` };
    if (Object.keys(files).length > 0) {
      const who = identityOf(ownerUser);
      const sha = await this.git.writeCommit(gitDir, undefined, files, o.message ?? 'Initial commit', who);
      await this.git.updateRef(gitDir, `refs/heads/${defaultBranch}`, sha, '');
    }
    s.repos.set(`${ownerUser.login}/${name}`.toLowerCase(), r);
    return r;
  }

  async refMap(r: FakeRepo): Promise<Map<string, string>> {
    const refs = await this.git.refs(r.gitDir);
    return new Map(refs.filter((x) => !x.ref.startsWith('refs/pull/')).map((x) => [x.ref, x.sha]));
  }

  /** A commit made "on GitHub" (like the web editor): updates the branch and sends `push`. */
  async commitFiles(r: FakeRepo, o: CommitFilesOptions): Promise<string> {
    const before = await this.refMap(r);
    const parent =
      (await this.git.branchSha(r.gitDir, o.branch)) ??
      (await this.git.resolve(r.gitDir, o.from ?? `refs/heads/${r.defaultBranch}`));
    const author = o.author ? this.state.user(o.author) : r.owner;
    const who = identityOf(author);
    const sha = await this.git.writeCommit(r.gitDir, parent, o.files, o.message ?? 'Update files', who, {
      ...GITHUB_COMMITTER,
    });
    if (
      !(await this.git.updateRef(
        r.gitDir,
        `refs/heads/${o.branch}`,
        sha,
        before.get(`refs/heads/${o.branch}`) ?? '',
      ))
    )
      throw new Error(`refs/heads/${o.branch} moved while committing`);
    await this.afterRefsChanged(r, before, author);
    return sha;
  }

  /** After a push (or a merge, or a ref API call): `push` events, PR head/base refresh and `synchronize`. */
  async afterRefsChanged(r: FakeRepo, before: Map<string, string>, pusher: FakeUser): Promise<void> {
    const after = await this.refMap(r);
    const names = new Set([...before.keys(), ...after.keys()]);
    for (const ref of names) {
      const b = before.get(ref);
      const a = after.get(ref);
      if (b === a || !(ref.startsWith('refs/heads/') || ref.startsWith('refs/tags/'))) continue;
      r.pushedAt = stamp();
      await this.emit('push', () => this.pushPayload(r, ref, b, a, before, pusher));
      if (!ref.startsWith('refs/heads/')) continue;
      const branch = ref.slice('refs/heads/'.length);
      for (const p of this.pulls(r)) {
        if (p.issue.state !== 'open') continue;
        if (p.base === branch && a) p.baseSha = a;
        if (p.head === branch && a && p.headSha !== a) {
          const old = p.headSha;
          await this.refreshPull(r, p);
          p.issue.updatedAt = stamp();
          await this.emit('pull_request', async () => {
            const payload: PullRequestSynchronizeEvent = {
              action: 'synchronize',
              number: p.number,
              before: old,
              after: a,
              pull_request: hookPull(this.state, r, p, await this.pullDetails(r, p)),
              ...this.envelope(r, pusher),
            };
            return payload;
          });
        }
      }
    }
  }

  private async pushPayload(
    r: FakeRepo,
    ref: string,
    b: string | undefined,
    a: string | undefined,
    before: Map<string, string>,
    pusher: FakeUser,
  ): Promise<PushEvent> {
    const s = this.state;
    const full = s.fullName(r);
    let shas: string[] = [];
    if (a && b) shas = await this.git.commitsBetween(r.gitDir, b, a);
    else if (a) {
      const others = [...before.entries()].filter(([n]) => n !== ref).map(([, sha]) => `^${sha}`);
      shas = (await this.git.out(r.gitDir, ['rev-list', '--reverse', a, ...others]))
        .split('\n')
        .filter(Boolean);
    }
    shas = shas.slice(-20);
    const commits = await Promise.all(
      shas.map(async (sha) =>
        hookCommit(s, r, await this.git.commit(r.gitDir, sha), await this.git.commitPaths(r.gitDir, sha)),
      ),
    );
    const head = a ? await this.git.commit(r.gitDir, a) : undefined;
    const who = identityOf(pusher);
    const {
      allow_auto_merge: _a,
      allow_forking: _f,
      allow_merge_commit: _m,
      allow_rebase_merge: _r,
      allow_squash_merge: _s,
      allow_update_branch: _u,
      delete_branch_on_merge: _d,
      ...repo
    } = hookRepo(s, r);
    const short = (x: string | undefined): string => (x ?? ZERO).slice(0, 12);
    return {
      ref,
      before: b ?? ZERO,
      after: a ?? ZERO,
      created: b === undefined,
      deleted: a === undefined,
      forced: a !== undefined && b !== undefined && !(await this.git.isAncestor(r.gitDir, b, a)),
      base_ref: null,
      compare:
        b === undefined
          ? `${s.baseUrl}/${full}/compare/${ref.replace(/^refs\/(heads|tags)\//, '')}`
          : `${s.baseUrl}/${full}/compare/${short(b)}...${short(a)}`,
      commits,
      head_commit: head ? hookCommit(s, r, head, await this.git.commitPaths(r.gitDir, head.sha)) : null,
      pusher: hookCommitter({ name: pusher.login, email: who.email }),
      ...this.envelope(r, pusher),
      // push payloads carry GitHub's older repository flavour: epoch timestamps, stargazers, master_branch
      repository: {
        ...repo,
        owner: { ...hookUser(s, r.owner), name: r.owner.login, email: identityOf(r.owner).email },
        created_at: Math.floor(Date.parse(r.createdAt) / 1000),
        pushed_at: Math.floor(Date.parse(r.pushedAt) / 1000),
        stargazers: 0,
        master_branch: r.defaultBranch,
      },
    };
  }

  // ── pull requests ───────────────────────────────────────────────────────

  pulls(r: FakeRepo): FakePull[] {
    return [...r.issues.values()].flatMap((i) => (i.pull ? [i.pull] : []));
  }

  /** Open pull requests whose head is at `sha` (what check runs and statuses attach to). */
  pullsAt(r: FakeRepo, sha: string): FakePull[] {
    return this.pulls(r).filter((p) => p.issue.state === 'open' && p.headSha === sha);
  }

  /** While open, a pull request follows its branches (and keeps `refs/pull/N/head` current). */
  async refreshPull(r: FakeRepo, p: FakePull): Promise<void> {
    if (p.issue.state !== 'open') return;
    const head = await this.git.branchSha(r.gitDir, p.head);
    const base = await this.git.branchSha(r.gitDir, p.base);
    if (base) p.baseSha = base;
    if (head && head !== p.headSha) p.headSha = head;
    await this.git.updateRef(r.gitDir, `refs/pull/${p.number}/head`, p.headSha);
  }

  async pullDetails(r: FakeRepo, p: FakePull): Promise<PullDetails> {
    if (p.frozen) return p.frozen;
    await this.refreshPull(r, p);
    const g = this.git;
    const mb = await g.mergeBase(r.gitDir, p.baseSha, p.headSha);
    const files = mb ? await g.diff(r.gitDir, mb, p.headSha, false) : [];
    const commits = (await g.commitsBetween(r.gitDir, p.baseSha, p.headSha)).length;
    const merged = await g.mergeTree(r.gitDir, p.baseSha, p.headSha);
    const checks = this.checksState(r, p.headSha);
    return {
      mergeable: merged.clean,
      rebaseable: merged.clean,
      mergeableState: !merged.clean
        ? 'dirty'
        : p.draft
          ? 'draft'
          : checks === 'failing' || checks === 'pending'
            ? 'unstable'
            : 'clean',
      commits,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changedFiles: files.length,
    };
  }

  /** The combined verdict of statuses and check runs on a commit. */
  checksState(r: FakeRepo, sha: string): 'none' | 'passing' | 'pending' | 'failing' {
    const latest = new Map<string, string>();
    for (const st of r.statuses) if (st.sha === sha) latest.set(`s:${st.context}`, st.state);
    for (const c of r.checkRuns)
      if (c.headSha === sha)
        latest.set(`c:${c.name}`, c.status === 'completed' ? (c.conclusion ?? 'neutral') : 'pending');
    const states = [...latest.values()];
    if (states.length === 0) return 'none';
    if (states.some((x) => ['error', 'failure', 'cancelled', 'timed_out', 'action_required'].includes(x)))
      return 'failing';
    if (states.some((x) => x === 'pending')) return 'pending';
    return 'passing';
  }

  async closePull(r: FakeRepo, p: FakePull, by: FakeUser): Promise<void> {
    const now = stamp();
    Object.assign(p.issue, {
      state: 'closed',
      closedAt: now,
      updatedAt: now,
      closedBy: by,
      stateReason: null,
    });
    await this.emitClosed(r, p, by);
  }

  private async emitClosed(r: FakeRepo, p: FakePull, by: FakeUser): Promise<void> {
    await this.emit('pull_request', async () => {
      const pr = hookPull(this.state, r, p, await this.pullDetails(r, p));
      const payload: PullRequestClosedEvent = {
        action: 'closed',
        number: p.number,
        pull_request: { ...pr, state: 'closed', closed_at: p.issue.closedAt ?? stamp(), merged: p.merged },
        ...this.envelope(r, by),
      };
      return payload;
    });
  }

  /** `PUT /repos/{o}/{r}/pulls/{n}/merge` performed with real git in the bare repository. */
  async merge(
    r: FakeRepo,
    p: FakePull,
    by: FakeUser,
    o: { method: string; sha?: string; title?: string; message?: string },
  ): Promise<Answer> {
    const answer = await this.mergeInner(r, p, by, o);
    r.merges.push({
      pullNumber: p.number,
      mergeMethod: o.method,
      ...(o.sha ? { sha: o.sha } : {}),
      status: answer.status,
      sender: by,
    });
    return answer;
  }

  private async mergeInner(
    r: FakeRepo,
    p: FakePull,
    by: FakeUser,
    o: { method: string; sha?: string; title?: string; message?: string },
  ): Promise<Answer> {
    const g = this.git;
    if (!['merge', 'squash', 'rebase'].includes(o.method))
      return fail(422, `Invalid request.\n\n"${o.method}" is not a valid merge_method.`, MERGE_DOCS);
    const method = o.method as MergeMethod;
    if (p.merged || p.issue.state !== 'open') return fail(405, 'Pull Request is not mergeable', MERGE_DOCS);
    const allowed = { merge: r.allowMergeCommit, squash: r.allowSquashMerge, rebase: r.allowRebaseMerge }[
      method
    ];
    if (!allowed) {
      const what = { merge: 'Merge commits', squash: 'Squash merges', rebase: 'Rebase merges' }[method];
      return fail(405, `${what} are not allowed on this repository.`, MERGE_DOCS);
    }
    await this.refreshPull(r, p);
    if (o.sha !== undefined && o.sha !== p.headSha)
      return fail(409, 'Head branch was modified. Review and try the merge again.', MERGE_DOCS);
    const details = await this.pullDetails(r, p);
    const diffBase = await g.mergeBase(r.gitDir, p.baseSha, p.headSha);
    const tree = await g.mergeTree(r.gitDir, p.baseSha, p.headSha);
    if (!tree.clean) return fail(405, 'Pull Request is not mergeable', MERGE_DOCS);
    const title = p.issue.title;
    let sha: string | undefined;
    if (method === 'merge') {
      const msg = `${o.title ?? `Merge pull request #${p.number} from ${r.owner.login}/${p.head}`}\n\n${o.message ?? title}`;
      sha = await g.commitTree(r.gitDir, tree.tree, [p.baseSha, p.headSha], msg, identityOf(by));
    } else if (method === 'squash') {
      const shas = await g.commitsBetween(r.gitDir, p.baseSha, p.headSha);
      const messages = await Promise.all(shas.map(async (c) => (await g.commit(r.gitDir, c)).message));
      const body = o.message ?? messages.map((m) => `* ${m}`).join('\n\n');
      const msg = `${o.title ?? `${title} (#${p.number})`}\n\n${body}`;
      sha = await g.commitTree(r.gitDir, tree.tree, [p.baseSha], msg, identityOf(p.issue.user));
    } else {
      sha = diffBase ? await g.rebase(r.gitDir, p.baseSha, diffBase, p.headSha) : undefined;
      if (!sha) return fail(405, "This branch can't be rebased", MERGE_DOCS);
    }
    const before = await this.refMap(r);
    if (!(await g.updateRef(r.gitDir, `refs/heads/${p.base}`, sha, p.baseSha)))
      return fail(409, 'Base branch was modified. Review and try the merge again.', MERGE_DOCS);
    const now = stamp();
    p.frozen = { ...details, mergeable: null, rebaseable: null, mergeableState: 'unknown' };
    if (diffBase) p.diffBase = diffBase;
    Object.assign(p, { merged: true, mergedAt: now, mergedBy: by, mergeCommitSha: sha, autoMerge: null });
    Object.assign(p.issue, {
      state: 'closed',
      closedAt: now,
      updatedAt: now,
      closedBy: by,
      stateReason: null,
    });
    p.baseSha = sha;
    if (r.deleteBranchOnMerge) await g.updateRef(r.gitDir, `refs/heads/${p.head}`, '');
    await this.afterRefsChanged(r, before, by);
    await this.emitClosed(r, p, by);
    const result: Schemas['pull-request-merge-result'] = {
      sha,
      merged: true,
      message: 'Pull Request successfully merged',
    };
    return ok(result);
  }

  /** A new issue or pull request number and its issue record. */
  newIssue(r: FakeRepo, user: FakeUser, title: string, body: string | null): FakeIssue {
    const now = stamp();
    const issue: FakeIssue = {
      id: this.state.id(),
      number: r.nextNumber++,
      title,
      body,
      state: 'open',
      stateReason: null,
      user,
      labels: [],
      assignees: [],
      locked: false,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
    };
    r.issues.set(issue.number, issue);
    return issue;
  }
}
