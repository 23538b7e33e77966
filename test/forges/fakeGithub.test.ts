import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { verify } from '@octokit/webhooks-methods';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGithub, type FakeGithub } from '../../src/forges/github/fake/fakeGithub.ts';
import { gitClient } from '../../src/forges/github/fake/gitClient.ts';
import {
  startWebhookReceiver,
  type ReceivedHook,
  type WebhookReceiver,
} from '../../src/forges/github/fake/webhookReceiver.ts';

let fake: FakeGithub;
let work: string;
let alice: string;
let bob: string;
let hooks: WebhookReceiver;
const SECRET = 'webhook-secret-0123456789';

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'fake-github-test-'));
  fake = await startFakeGithub();
  alice = fake.addToken('alice');
  bob = fake.addToken('bob');
  hooks = await startWebhookReceiver();
});

afterEach(async () => {
  expect(fake.serverErrors).toEqual([]);
  await fake.close();
  await hooks.close();
  await rm(work, { recursive: true, force: true });
});

const quiet = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const octokit = (token?: string): Octokit =>
  new Octokit({ baseUrl: fake.url, ...(token ? { auth: token } : {}), log: quiet });

/** The error an Octokit call rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<{
  status: number;
  message: string;
  response: { data: unknown; headers: Record<string, string | undefined> };
}> {
  try {
    await p;
  } catch (e) {
    return e as Awaited<ReturnType<typeof rejection>>;
  }
  throw new Error('expected the call to fail');
}

const git = (cwd: string, ...args: string[]): Promise<string> => gitClient(args, { cwd });

/** Clones acme/demo with alice's token, commits `files` on a new `branch`, pushes it; the new head sha. */
async function pushBranch(branch: string, files: Record<string, string>, dir = 'clone'): Promise<string> {
  const cwd = join(work, dir);
  await gitClient(['clone', '--quiet', fake.cloneUrl('acme', 'demo', alice), cwd], { cwd: work });
  await git(cwd, 'checkout', '-q', '-b', branch);
  for (const [path, content] of Object.entries(files)) await writeFile(join(cwd, path), content);
  await git(cwd, 'add', '-A');
  await git(cwd, 'commit', '-q', '-m', `change on ${branch}`);
  await git(cwd, 'push', '-q', 'origin', branch);
  return git(cwd, 'rev-parse', 'HEAD');
}

const hooksOf = (event: string, action?: string): ReceivedHook[] =>
  hooks.received.filter(
    (h) =>
      h.event === event && (action === undefined || (h.payload as { action?: string }).action === action),
  );

describe('fake GitHub: git smart HTTP over real bare repositories', () => {
  it('clones with a token, pushes a branch into the bare repository, and refuses bad or missing credentials', async () => {
    await fake.createRepo('acme', 'demo', {
      files: { 'README.md': '# demo\n', 'src/app.ts': 'export const a = 1;\n' },
    });
    fake.setWebhook({ url: hooks.url, secret: SECRET });
    const head = await pushBranch('feature', { 'src/app.ts': 'export const a = 2;\n' });
    expect(await fake.branchSha('acme', 'demo', 'feature')).toBe(head);
    expect(await fake.git('acme', 'demo', ['show', 'feature:src/app.ts'])).toBe('export const a = 2;');

    // a bearer token through http.extraHeader works too (how CI checkouts pass tokens)
    const viaHeader = join(work, 'header');
    await gitClient(
      [
        '-c',
        `http.extraHeader=Authorization: Bearer ${bob}`,
        'clone',
        '--quiet',
        fake.cloneUrl('acme', 'demo'),
        viaHeader,
      ],
      { cwd: work },
    );
    expect(await readFile(join(viaHeader, 'README.md'), 'utf8')).toBe('# demo\n');

    const cwd = join(work, 'clone');
    await git(cwd, 'commit', '-q', '--allow-empty', '-m', 'more');
    await git(cwd, 'remote', 'set-url', 'origin', fake.cloneUrl('acme', 'demo', 'ghp_wrong'));
    await expect(git(cwd, 'push', '-q', 'origin', 'feature')).rejects.toThrow(/Authentication failed|401/);
    await git(cwd, 'remote', 'set-url', 'origin', fake.cloneUrl('acme', 'demo'));
    await expect(git(cwd, 'push', '-q', 'origin', 'feature')).rejects.toThrow(
      /Authentication failed|401|terminal prompts/,
    );
    expect(await fake.branchSha('acme', 'demo', 'feature')).toBe(head);

    await fake.settled();
    const [push] = hooksOf('push');
    expect(push?.payload).toMatchObject({
      ref: 'refs/heads/feature',
      after: head,
      created: true,
      deleted: false,
      repository: { full_name: 'acme/demo' },
      pusher: { name: 'alice' },
      sender: { login: 'alice' },
      head_commit: { id: head, modified: ['src/app.ts'] },
    });
    expect(await verify(SECRET, push?.body ?? '', String(push?.headers['x-hub-signature-256']))).toBe(true);
  });
});

describe('fake GitHub: REST v3 through real Octokit', () => {
  beforeEach(async () => {
    await fake.createRepo('acme', 'demo', {
      files: { 'README.md': '# demo\n', 'src/app.ts': 'export const a = 1;\nexport const b = 2;\n' },
    });
  });

  it('creates a PR, lists files, comments, reviews, and reads checks and statuses back combined', async () => {
    fake = await restart({ checksRequireApp: false });
    const head = await pushBranch('feature', {
      'src/app.ts': 'export const a = 1;\nexport const b = 3;\n',
      'NOTES.md': 'new\n',
    });
    const gh = octokit(alice);
    const repo = await gh.rest.repos.get({ owner: 'acme', repo: 'demo' });
    expect(repo.data).toMatchObject({ full_name: 'acme/demo', default_branch: 'main', private: false });
    expect(repo.headers['x-ratelimit-limit']).toBe('5000');

    const pr = await gh.rest.pulls.create({
      owner: 'acme',
      repo: 'demo',
      head: 'feature',
      base: 'main',
      title: 'Bump b',
      body: 'why',
    });
    expect(pr.status).toBe(201);
    expect(pr.data).toMatchObject({
      number: 1,
      state: 'open',
      head: { ref: 'feature', sha: head },
      base: { ref: 'main' },
    });
    expect(pr.data.html_url).toBe(`${fake.url}/acme/demo/pull/1`);
    const got = await gh.rest.pulls.get({ owner: 'acme', repo: 'demo', pull_number: 1 });
    expect(got.data).toMatchObject({
      mergeable: true,
      mergeable_state: 'clean',
      commits: 1,
      changed_files: 2,
    });

    const open = await gh.rest.pulls.list({
      owner: 'acme',
      repo: 'demo',
      head: 'acme:feature',
      state: 'open',
    });
    expect(open.data.map((p) => p.number)).toEqual([1]);
    expect((await gh.rest.pulls.list({ owner: 'acme', repo: 'demo', base: 'other' })).data).toEqual([]);

    const files = await gh.rest.pulls.listFiles({ owner: 'acme', repo: 'demo', pull_number: 1 });
    expect(files.data.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([
      ['NOTES.md', 'added', 1, 0],
      ['src/app.ts', 'modified', 1, 1],
    ]);
    expect(files.data[1]?.patch).toContain('+export const b = 3;');

    const comment = await gh.rest.issues.createComment({
      owner: 'acme',
      repo: 'demo',
      issue_number: 1,
      body: 'first',
    });
    expect(comment.status).toBe(201);
    await gh.rest.issues.updateComment({
      owner: 'acme',
      repo: 'demo',
      comment_id: comment.data.id,
      body: 'edited',
    });
    const comments = await gh.rest.issues.listComments({ owner: 'acme', repo: 'demo', issue_number: 1 });
    expect(comments.data.map((c) => [c.body, c.user?.login])).toEqual([['edited', 'alice']]);

    const requested = await gh.rest.pulls.requestReviewers({
      owner: 'acme',
      repo: 'demo',
      pull_number: 1,
      reviewers: ['bob'],
    });
    expect(requested.data.requested_reviewers?.map((u) => u.login)).toEqual(['bob']);
    const self = await rejection(
      gh.rest.pulls.requestReviewers({ owner: 'acme', repo: 'demo', pull_number: 1, reviewers: ['alice'] }),
    );
    expect(self.status).toBe(422);

    const own = await rejection(
      gh.rest.pulls.createReview({ owner: 'acme', repo: 'demo', pull_number: 1, event: 'APPROVE' }),
    );
    expect(own.status).toBe(422);
    expect(own.response.data).toMatchObject({ errors: ['Can not approve your own pull request'] });
    const changes = await octokit(bob).rest.pulls.createReview({
      owner: 'acme',
      repo: 'demo',
      pull_number: 1,
      event: 'REQUEST_CHANGES',
      body: 'b should stay small',
      comments: [{ path: 'src/app.ts', line: 2, body: 'why 3?' }],
    });
    expect(changes.data).toMatchObject({
      state: 'CHANGES_REQUESTED',
      commit_id: head,
      user: { login: 'bob' },
    });
    await octokit(bob).rest.pulls.createReview({
      owner: 'acme',
      repo: 'demo',
      pull_number: 1,
      event: 'APPROVE',
    });
    const reviews = await gh.rest.pulls.listReviews({ owner: 'acme', repo: 'demo', pull_number: 1 });
    expect(reviews.data.map((r) => r.state)).toEqual(['CHANGES_REQUESTED', 'APPROVED']);
    const inline = await gh.rest.pulls.listReviewComments({ owner: 'acme', repo: 'demo', pull_number: 1 });
    expect(inline.data).toHaveLength(1);
    expect(inline.data[0]).toMatchObject({
      path: 'src/app.ts',
      line: 2,
      side: 'RIGHT',
      position: 3,
      body: 'why 3?',
    });
    expect(inline.data[0]?.diff_hunk).toMatch(/^@@ .*\n.*\n-export const b = 2;\n\+export const b = 3;$/);
    const outside = await rejection(
      octokit(bob).rest.pulls.createReview({
        owner: 'acme',
        repo: 'demo',
        pull_number: 1,
        event: 'COMMENT',
        comments: [{ path: 'README.md', line: 1, body: 'not in the diff' }],
      }),
    );
    expect(outside.status).toBe(422);
    expect(
      (await gh.rest.pulls.get({ owner: 'acme', repo: 'demo', pull_number: 1 })).data.requested_reviewers,
    ).toEqual([]);

    const run = await gh.rest.checks.create({
      owner: 'acme',
      repo: 'demo',
      name: 'build',
      head_sha: head,
      status: 'in_progress',
    });
    expect(run.status).toBe(201);
    await gh.rest.checks.update({
      owner: 'acme',
      repo: 'demo',
      check_run_id: run.data.id,
      conclusion: 'success',
      output: { title: 'ok', summary: 'all green' },
    });
    await gh.rest.repos.createCommitStatus({
      owner: 'acme',
      repo: 'demo',
      sha: head,
      state: 'pending',
      context: 'ci/lint',
    });
    await gh.rest.repos.createCommitStatus({
      owner: 'acme',
      repo: 'demo',
      sha: head,
      state: 'success',
      context: 'ci/lint',
    });
    await gh.rest.repos.createCommitStatus({
      owner: 'acme',
      repo: 'demo',
      sha: head,
      state: 'success',
      context: 'ci/test',
    });
    const combined = await gh.rest.repos.getCombinedStatusForRef({
      owner: 'acme',
      repo: 'demo',
      ref: 'feature',
    });
    expect(combined.data).toMatchObject({ state: 'success', sha: head, total_count: 2 });
    expect(combined.data.statuses.map((s) => s.context).sort()).toEqual(['ci/lint', 'ci/test']);
    const runs = await gh.rest.checks.listForRef({ owner: 'acme', repo: 'demo', ref: head });
    expect(runs.data.total_count).toBe(1);
    expect(runs.data.check_runs[0]).toMatchObject({
      name: 'build',
      status: 'completed',
      conclusion: 'success',
      output: { title: 'ok', summary: 'all green' },
      pull_requests: [{ number: 1 }],
    });
    await gh.rest.repos.createCommitStatus({
      owner: 'acme',
      repo: 'demo',
      sha: head,
      state: 'failure',
      context: 'ci/test',
    });
    expect(
      (await gh.rest.repos.getCombinedStatusForRef({ owner: 'acme', repo: 'demo', ref: head })).data.state,
    ).toBe('failure');
    expect(
      (await gh.rest.pulls.get({ owner: 'acme', repo: 'demo', pull_number: 1 })).data.mergeable_state,
    ).toBe('unstable');

    const issue = await gh.rest.issues.create({ owner: 'acme', repo: 'demo', title: 'Bug', labels: ['bug'] });
    expect(issue.data.number).toBe(2);
    const labels = await gh.rest.issues.addLabels({
      owner: 'acme',
      repo: 'demo',
      issue_number: 1,
      labels: ['baton', 'bug'],
    });
    expect(labels.data.map((l) => l.name)).toEqual(['baton', 'bug']);
    const listed = await gh.rest.issues.listForRepo({ owner: 'acme', repo: 'demo', labels: 'bug' });
    expect(listed.data.map((i) => [i.number, i.pull_request !== undefined])).toEqual([
      [2, false],
      [1, true],
    ]);
    await gh.rest.issues.update({ owner: 'acme', repo: 'demo', issue_number: 2, state: 'closed' });
    expect((await gh.rest.issues.get({ owner: 'acme', repo: 'demo', issue_number: 2 })).data.state).toBe(
      'closed',
    );

    expect(
      (
        await gh.rest.repos.createDispatchEvent({
          owner: 'acme',
          repo: 'demo',
          event_type: 'baton',
          client_payload: { run: 1 },
        })
      ).status,
    ).toBe(204);
    expect(
      (
        await gh.rest.actions.createWorkflowDispatch({
          owner: 'acme',
          repo: 'demo',
          workflow_id: 'ci.yml',
          ref: 'main',
          inputs: { x: 'y' },
        })
      ).status,
    ).toBe(204);
    expect(fake.repo('acme', 'demo').dispatches.map((d) => [d.kind, d.eventType ?? d.workflowId])).toEqual([
      ['repository_dispatch', 'baton'],
      ['workflow_dispatch', 'ci.yml'],
    ]);
    expect(fake.serverErrors).toEqual([]);
  });

  it('reads and writes branches and refs in the bare repository', async () => {
    const gh = octokit(alice);
    const main = await gh.rest.repos.getBranch({ owner: 'acme', repo: 'demo', branch: 'main' });
    const mainSha = await fake.branchSha('acme', 'demo', 'main');
    expect(main.data).toMatchObject({ name: 'main', commit: { sha: mainSha }, protected: false });
    const created = await gh.rest.git.createRef({
      owner: 'acme',
      repo: 'demo',
      ref: 'refs/heads/baton/x',
      sha: mainSha ?? '',
    });
    expect(created.status).toBe(201);
    expect(await fake.branchSha('acme', 'demo', 'baton/x')).toBe(mainSha);
    const ref = await gh.rest.git.getRef({ owner: 'acme', repo: 'demo', ref: 'heads/baton/x' });
    expect(ref.data).toMatchObject({ ref: 'refs/heads/baton/x', object: { sha: mainSha, type: 'commit' } });
    const branch = await gh.rest.repos.getBranch({ owner: 'acme', repo: 'demo', branch: 'baton/x' });
    expect(branch.data.name).toBe('baton/x');
    const dup = await rejection(
      gh.rest.git.createRef({ owner: 'acme', repo: 'demo', ref: 'refs/heads/baton/x', sha: mainSha ?? '' }),
    );
    expect(dup.status).toBe(422);
    expect(
      (await gh.rest.git.listMatchingRefs({ owner: 'acme', repo: 'demo', ref: 'heads/baton' })).data,
    ).toHaveLength(1);
    expect((await gh.rest.git.deleteRef({ owner: 'acme', repo: 'demo', ref: 'heads/baton/x' })).status).toBe(
      204,
    );
    expect(await fake.branchSha('acme', 'demo', 'baton/x')).toBeUndefined();
    expect(
      (await rejection(gh.rest.git.getRef({ owner: 'acme', repo: 'demo', ref: 'heads/baton/x' }))).status,
    ).toBe(404);
    expect(
      (await rejection(gh.rest.repos.getBranch({ owner: 'acme', repo: 'demo', branch: 'nope' }))).status,
    ).toBe(404);
    expect((await rejection(gh.rest.repos.get({ owner: 'acme', repo: 'nope' }))).status).toBe(404);
    const anonymousWrite = await rejection(
      octokit().rest.issues.create({ owner: 'acme', repo: 'demo', title: 'x' }),
    );
    expect(anonymousWrite.status).toBe(401);
    const badToken = await rejection(octokit('ghp_nope').rest.repos.get({ owner: 'acme', repo: 'demo' }));
    expect([badToken.status, (badToken.response.data as { message: string }).message]).toEqual([
      401,
      'Bad credentials',
    ]);
  });

  it('merges with merge, squash and rebase; the base branch moves in the bare repository', async () => {
    const gh = octokit(alice);
    const open = async (branch: string, file: string): Promise<{ number: number; head: string }> => {
      await fake.commitFiles('acme', 'demo', {
        branch,
        files: { [file]: `${branch} 1\n` },
        message: `${branch}: first`,
      });
      const head = await fake.commitFiles('acme', 'demo', {
        branch,
        files: { [file]: `${branch} 2\n` },
        message: `${branch}: second`,
      });
      const pr = await gh.rest.pulls.create({
        owner: 'acme',
        repo: 'demo',
        head: branch,
        base: 'main',
        title: `Add ${file}`,
      });
      return { number: pr.data.number, head };
    };
    const parents = async (sha: string): Promise<string[]> =>
      (await fake.git('acme', 'demo', ['rev-list', '--parents', '-n', '1', sha])).split(' ').slice(1);

    // three PRs off the same main: each merge lands on a base the next PR has not seen
    const m = await open('m', 'm.txt');
    const sq = await open('s', 's.txt');
    const rb = await open('r', 'r.txt');
    const stale = await rejection(
      gh.rest.pulls.merge({ owner: 'acme', repo: 'demo', pull_number: m.number, sha: '0'.repeat(40) }),
    );
    expect(stale.status).toBe(409);
    const before = await fake.branchSha('acme', 'demo', 'main');
    const merged = await gh.rest.pulls.merge({
      owner: 'acme',
      repo: 'demo',
      pull_number: m.number,
      sha: m.head,
      merge_method: 'merge',
    });
    expect(merged.data).toMatchObject({ merged: true, message: 'Pull Request successfully merged' });
    const afterMerge = await fake.branchSha('acme', 'demo', 'main');
    expect(afterMerge).toBe(merged.data.sha);
    expect(await parents(afterMerge ?? '')).toEqual([before, m.head]);
    expect(await fake.git('acme', 'demo', ['log', '-1', '--format=%s', 'main'])).toBe(
      'Merge pull request #1 from acme/m',
    );

    const squashed = await gh.rest.pulls.merge({
      owner: 'acme',
      repo: 'demo',
      pull_number: sq.number,
      merge_method: 'squash',
    });
    expect(await parents(squashed.data.sha)).toEqual([afterMerge]);
    expect(await fake.git('acme', 'demo', ['log', '-1', '--format=%s', 'main'])).toBe('Add s.txt (#2)');
    expect(await fake.git('acme', 'demo', ['show', 'main:s.txt'])).toBe('s 2');
    expect(await fake.git('acme', 'demo', ['show', 'main:m.txt'])).toBe('m 2');

    const rebased = await gh.rest.pulls.merge({
      owner: 'acme',
      repo: 'demo',
      pull_number: rb.number,
      merge_method: 'rebase',
    });
    const log = (
      await fake.git('acme', 'demo', ['log', '--format=%s|%an|%cn', `${squashed.data.sha}..main`])
    ).split('\n');
    expect(log).toEqual(['r: second|acme|GitHub', 'r: first|acme|GitHub']);
    expect(await fake.branchSha('acme', 'demo', 'main')).toBe(rebased.data.sha);
    expect(rebased.data.sha).not.toBe(rb.head);

    const pr = await gh.rest.pulls.get({ owner: 'acme', repo: 'demo', pull_number: rb.number });
    expect(pr.data).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: rebased.data.sha,
      merged_by: { login: 'alice' },
      commits: 2,
    });
    expect(
      (await gh.rest.pulls.listFiles({ owner: 'acme', repo: 'demo', pull_number: rb.number })).data.map(
        (f) => f.filename,
      ),
    ).toEqual(['r.txt']);
    expect(
      (await gh.rest.pulls.checkIfMerged({ owner: 'acme', repo: 'demo', pull_number: rb.number })).status,
    ).toBe(204);
    const again = await rejection(
      gh.rest.pulls.merge({ owner: 'acme', repo: 'demo', pull_number: rb.number }),
    );
    expect(again.status).toBe(405);
    expect(fake.repo('acme', 'demo').merges.map((x) => [x.pullNumber, x.mergeMethod, x.status])).toEqual([
      [1, 'merge', 409],
      [1, 'merge', 200],
      [2, 'squash', 200],
      [3, 'rebase', 200],
      [3, 'merge', 405],
    ]);
  });

  it('reports a conflicting PR as not mergeable and refuses to merge it (405)', async () => {
    const gh = octokit(alice);
    await fake.commitFiles('acme', 'demo', {
      branch: 'feature',
      files: { 'src/app.ts': 'export const a = 10;\n' },
    });
    const pr = await gh.rest.pulls.create({
      owner: 'acme',
      repo: 'demo',
      head: 'feature',
      base: 'main',
      title: 'a=10',
    });
    expect(pr.data.mergeable).toBe(true);
    await fake.commitFiles('acme', 'demo', {
      branch: 'main',
      files: { 'src/app.ts': 'export const a = 20;\n' },
    });
    const got = await gh.rest.pulls.get({ owner: 'acme', repo: 'demo', pull_number: pr.data.number });
    expect(got.data).toMatchObject({ mergeable: false, mergeable_state: 'dirty' });
    const base = await fake.branchSha('acme', 'demo', 'main');
    for (const merge_method of ['merge', 'squash', 'rebase'] as const) {
      const refused = await rejection(
        gh.rest.pulls.merge({ owner: 'acme', repo: 'demo', pull_number: pr.data.number, merge_method }),
      );
      expect([refused.status, refused.message]).toEqual([
        405,
        expect.stringContaining('Pull Request is not mergeable'),
      ]);
    }
    expect(await fake.branchSha('acme', 'demo', 'main')).toBe(base);
  });

  it('refuses a duplicate open PR with GitHub’s 422 and exact message', async () => {
    const gh = octokit(alice);
    await fake.commitFiles('acme', 'demo', { branch: 'feature', files: { 'x.txt': 'x\n' } });
    await gh.rest.pulls.create({ owner: 'acme', repo: 'demo', head: 'feature', base: 'main', title: 'one' });
    const dup = await rejection(
      gh.rest.pulls.create({ owner: 'acme', repo: 'demo', head: 'acme:feature', base: 'main', title: 'two' }),
    );
    expect(dup.status).toBe(422);
    expect(dup.response.data).toMatchObject({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: 'A pull request already exists for acme:feature.',
        },
      ],
    });
    const none = await rejection(
      gh.rest.pulls.create({ owner: 'acme', repo: 'demo', head: 'main', base: 'main', title: 'x' }),
    );
    expect(none.status).toBe(422);
    const missing = await rejection(
      gh.rest.pulls.create({ owner: 'acme', repo: 'demo', head: 'ghost', base: 'main', title: 'x' }),
    );
    expect(missing.response.data).toMatchObject({ errors: [{ field: 'head', code: 'invalid' }] });
  });
});

/** Replaces the per-test fake with one built with other options (same tokens, fresh temp dir). */
async function restart(o: Parameters<typeof startFakeGithub>[0]): Promise<FakeGithub> {
  await fake.close();
  const next = await startFakeGithub({ ...o, tokens: { [alice]: 'alice', [bob]: 'bob' } });
  await next.createRepo('acme', 'demo', {
    files: { 'README.md': '# demo\n', 'src/app.ts': 'export const a = 1;\nexport const b = 2;\n' },
  });
  return next;
}
