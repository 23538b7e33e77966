import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatonError } from '../../src/domain/errors.ts';
import { createGithubForge, type GithubForge } from '../../src/forges/github/githubForge.ts';
import { githubFixture, type GithubFixture } from './githubForgeFixture.ts';

const REPO = 'acme/app';
const signal = () => AbortSignal.timeout(20_000);

describe('the GitHub forge against the fake GitHub (App auth, PAT, retries, idempotency)', () => {
  let f: GithubFixture;
  let forge: GithubForge;
  let n = 0;

  /** a branch with one new file, pushed on the fake */
  async function branch(files: Record<string, string> = {}): Promise<string> {
    const name = `feature-${++n}`;
    await f.gh.commitFiles('acme', 'app', {
      branch: name,
      files: { [`file-${n}.txt`]: `line ${n}\n`, ...files },
      message: `change ${n}`,
    });
    return name;
  }

  beforeAll(async () => {
    f = await githubFixture();
    forge = f.forge();
  });
  afterAll(async () => {
    await f?.gh.close();
  });

  it('authenticates as the App: one installation token for several calls, the installation looked up once', async () => {
    const before = f.count('POST', /^\/app\/installations\/\d+\/access_tokens$/);
    expect(await forge.defaultBranch(REPO, signal())).toBe('main');
    expect(await forge.defaultBranch(REPO, signal())).toBe('main');
    const remote = await forge.remote(REPO, signal());
    expect(remote.url).toBe(`${f.gh.url}/acme/app.git`);
    const headers = await remote.credentials.headers(remote.url, signal());
    expect(headers.Authorization).toMatch(/^Basic /);
    expect(f.count('POST', /^\/app\/installations\/\d+\/access_tokens$/) - before).toBe(1);
    expect(f.count('GET', /^\/repos\/acme\/app\/installation$/)).toBe(1);
    const last = f.gh.calls.filter((c) => c.path === '/repos/acme/app').at(-1);
    expect(String(last?.headers.authorization)).toMatch(/^token ghs_/);
  });

  it('renews the installation token shortly before it expires', async () => {
    const g = await githubFixture({ tokenTtlSec: 3 });
    try {
      const short = g.forge({ tokenRefreshMarginSec: 1 });
      const tokens = () => g.count('POST', /access_tokens$/);
      await short.defaultBranch(REPO, signal());
      await short.defaultBranch(REPO, signal());
      await short.getPullRequest(REPO, 1, signal()).catch(() => undefined);
      expect(tokens()).toBe(1);
      await new Promise((r) => setTimeout(r, 2_100));
      await short.defaultBranch(REPO, signal());
      expect(tokens()).toBe(2);
      await short.defaultBranch(REPO, signal());
      expect(tokens()).toBe(2);
    } finally {
      await g.gh.close();
    }
  });

  it('works with a personal token (no installation lookup)', async () => {
    const token = f.gh.addToken('octo');
    const pat = createGithubForge({
      apiUrl: f.gh.url,
      gitUrl: f.gh.url,
      auth: { kind: 'token', token },
      pacing: false,
    });
    expect(await pat.defaultBranch(REPO, signal())).toBe('main');
    const h = await (await pat.remote(REPO, signal())).credentials.headers('', signal());
    expect(Buffer.from(String(h.Authorization).slice(6), 'base64').toString()).toBe(
      `x-access-token:${token}`,
    );
  });

  it('opens one pull request per idempotency key, and returns the existing one on 422 "already exists"', async () => {
    const head = await branch();
    const p = { head, base: 'main', title: 'T', body: 'the body', draft: false, idempotencyKey: 'run1:pr:0' };
    const a = await forge.openPullRequest(REPO, p, signal());
    const b = await forge.openPullRequest(REPO, p, signal());
    expect(b.number).toBe(a.number);
    expect(a).toMatchObject({
      head,
      base: 'main',
      state: 'open',
      body: 'the body',
      draft: false,
      mergeSha: null,
    });
    expect(f.gh.repo('acme', 'app').issues.get(a.number)?.body).toContain('<!-- baton:key=run1:pr:0 -->');
    // another key, same head → GitHub answers 422: the open one is returned
    const c = await forge.openPullRequest(REPO, { ...p, idempotencyKey: 'run2:pr:0' }, signal());
    expect(c.number).toBe(a.number);
    // found by key and by head/base
    expect((await forge.findPullRequest(REPO, { head, idempotencyKey: 'run1:pr:0' }, signal()))?.number).toBe(
      a.number,
    );
    expect((await forge.findPullRequest(REPO, { head, base: 'main' }, signal()))?.number).toBe(a.number);
    expect(await forge.findPullRequest(REPO, { head: 'nope' }, signal())).toBeNull();
    expect(f.gh.repo('acme', 'app').issues.size).toBeGreaterThanOrEqual(1);
    expect(f.count('POST', /^\/repos\/acme\/app\/pulls$/)).toBe(1 + 1); // the second key's attempt got 422
  });

  it('posts a comment once per key and edits a progress comment in place', async () => {
    const pr = await forge.openPullRequest(
      REPO,
      { head: await branch(), base: 'main', title: 'C', body: '', draft: false, idempotencyKey: 'k-c' },
      signal(),
    );
    const c1 = await forge.comment(REPO, pr.number, { body: 'hello', idempotencyKey: 'c1' }, signal());
    const c1b = await forge.comment(REPO, pr.number, { body: 'hello', idempotencyKey: 'c1' }, signal());
    expect(c1.created).toBe(true);
    expect(c1b).toMatchObject({ id: c1.id, created: false });
    const p1 = await forge.comment(
      REPO,
      pr.number,
      { body: 'step 1/2', idempotencyKey: 'p-a', progressKey: 'prog' },
      signal(),
    );
    const p2 = await forge.comment(
      REPO,
      pr.number,
      { body: 'step 2/2', idempotencyKey: 'p-b', progressKey: 'prog' },
      signal(),
    );
    expect(p1.created).toBe(true);
    expect(p2).toMatchObject({ id: p1.id, created: false });
    const comments = [...f.gh.repo('acme', 'app').comments.values()].filter(
      (c) => c.issueNumber === pr.number,
    );
    expect(comments).toHaveLength(2);
    expect(comments.find((c) => String(c.id) === p1.id)?.body).toMatch(/^step 2\/2/);
  });

  it('submits reviews of both verdicts (with inline comments) and lists them back', async () => {
    const head = await branch({ 'greeting.txt': 'helo\n' });
    const pr = await forge.openPullRequest(
      REPO,
      { head, base: 'main', title: 'R', body: '', draft: false, idempotencyKey: 'k-r' },
      signal(),
    );
    // the App authored the pull request: a person reviews it (GitHub refuses approving your own)
    const reviewer = createGithubForge({
      apiUrl: f.gh.url,
      auth: { kind: 'token', token: f.gh.addToken('reviewer') },
      pacing: false,
    });
    const r1 = await reviewer.submitReview(
      REPO,
      pr.number,
      {
        verdict: 'changes_requested',
        body: 'fix it',
        comments: [{ path: 'greeting.txt', line: 1, body: 'typo' }],
        idempotencyKey: 'rv1',
      },
      signal(),
    );
    const again = await reviewer.submitReview(
      REPO,
      pr.number,
      { verdict: 'changes_requested', body: 'fix it', comments: [], idempotencyKey: 'rv1' },
      signal(),
    );
    expect(again.id).toBe(r1.id);
    await reviewer.submitReview(
      REPO,
      pr.number,
      { verdict: 'approve', body: 'ok', comments: [], idempotencyKey: 'rv2' },
      signal(),
    );
    const reviews = await forge.listReviews(REPO, pr.number, signal());
    expect(reviews.map((r) => [r.verdict, r.author, r.body])).toEqual([
      ['changes_requested', 'reviewer', 'fix it'],
      ['approve', 'reviewer', 'ok'],
    ]);
    expect(reviews[0]?.comments).toEqual([{ path: 'greeting.txt', line: 1, body: 'typo' }]);
    expect(reviews[0]?.commitSha).toBe(pr.headSha);
    // the App's own comment review works
    const own = await forge.submitReview(
      REPO,
      pr.number,
      { verdict: 'comment', body: 'note', comments: [], idempotencyKey: 'rv3' },
      signal(),
    );
    expect(own.verdict).toBe('comment');
  });

  it('combines statuses and check runs into ciState', async () => {
    const head = await branch();
    const sha = (await f.gh.branchSha('acme', 'app', head))!;
    expect((await forge.ciState(REPO, sha, signal())).state).toBe('pending');
    await forge.setStatus(REPO, sha, { context: 'ci/test', state: 'success' }, signal());
    expect(await forge.ciState(REPO, sha, signal())).toEqual({
      state: 'success',
      sha,
      checks: [{ name: 'ci/test', state: 'success' }],
    });
    const gh = await forge.client.forRepo(REPO, signal());
    const run = await gh.rest.checks.create({
      owner: 'acme',
      repo: 'app',
      name: 'lint',
      head_sha: sha,
      status: 'in_progress',
    });
    expect((await forge.ciState(REPO, sha, signal())).state).toBe('pending');
    await gh.rest.checks.update({
      owner: 'acme',
      repo: 'app',
      check_run_id: run.data.id,
      status: 'completed',
      conclusion: 'failure',
    });
    const red = await forge.ciState(REPO, sha, signal());
    expect(red.state).toBe('failure');
    expect(red.checks).toContainEqual({ name: 'lint', state: 'failure' });
  });

  it('merges with each method; a second merge reports merged: false; a moved head is a clear conflict', async () => {
    for (const method of ['merge', 'squash', 'rebase'] as const) {
      const pr = await forge.openPullRequest(
        REPO,
        {
          head: await branch(),
          base: 'main',
          title: `M ${method}`,
          body: '',
          draft: false,
          idempotencyKey: `m-${method}`,
        },
        signal(),
      );
      expect((await forge.mergeability(REPO, pr.number, signal())).mergeable).toBe(true);
      const r = await forge.merge(
        REPO,
        pr.number,
        { method, sha: pr.headSha, idempotencyKey: `mk-${method}`, message: pr.title },
        signal(),
      );
      expect(r.merged).toBe(true);
      expect(await f.gh.branchSha('acme', 'app', 'main')).toBe(r.sha);
      const again = await forge.merge(REPO, pr.number, { method, idempotencyKey: `mk-${method}` }, signal());
      expect(again).toEqual({ sha: r.sha, merged: false });
      expect((await forge.getPullRequest(REPO, pr.number, signal())).state).toBe('merged');
    }
    const pr = await forge.openPullRequest(
      REPO,
      {
        head: await branch(),
        base: 'main',
        title: 'stale',
        body: '',
        draft: false,
        idempotencyKey: 'm-stale',
      },
      signal(),
    );
    const e = await forge
      .merge(REPO, pr.number, { method: 'merge', sha: 'f'.repeat(40), idempotencyKey: 'mk-stale' }, signal())
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BatonError);
    expect(e).toMatchObject({ retryable: false });
    expect((e as Error).message).toMatch(/refused to merge #\d+ .*modified/);
  });

  it('waits out a primary rate limit until x-ratelimit-reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 1;
    f.gh.failNext({ method: 'GET', path: '/repos/acme/app', status: 403, rateLimitReset: reset });
    const t0 = Date.now();
    expect(await forge.defaultBranch(REPO, signal())).toBe('main');
    expect(Date.now()).toBeGreaterThanOrEqual(reset * 1000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  }, 15_000);

  it('waits out a 429 secondary rate limit for retry-after', async () => {
    f.gh.failNext({ method: 'GET', path: '/repos/acme/app', status: 429, retryAfterSec: 1 });
    const t0 = Date.now();
    expect(await forge.defaultBranch(REPO, signal())).toBe('main');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
  }, 15_000);

  it('stops waiting out a rate limit as soon as the step is cancelled', async () => {
    f.gh.failNext({ method: 'GET', path: '/repos/acme/app', status: 429, retryAfterSec: 30 });
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(new Error('step cancelled')), 300);
    await expect(forge.defaultBranch(REPO, ac.signal)).rejects.toThrow('step cancelled');
    expect(Date.now() - t0).toBeLessThan(5_000);
  }, 15_000);

  it('names the reset time in a retryable error when the wait is longer than allowed', async () => {
    const impatient = f.forge({ maxRateLimitWaitSec: 1 });
    f.gh.failNext({
      method: 'GET',
      path: '/repos/acme/app',
      status: 403,
      rateLimitReset: Math.floor(Date.now() / 1000) + 120,
    });
    const e = await impatient.defaultBranch(REPO, signal()).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'rate_limited', retryable: true });
    expect((e as Error).message).toMatch(/resets at \d{4}-/);
  });

  it('retries a 500 with backoff, and gives up on 5 failures in a row with a retryable error', async () => {
    f.gh.failNext({ method: 'GET', path: '/repos/acme/app', status: 500, times: 2 });
    expect(await forge.defaultBranch(REPO, signal())).toBe('main');
    f.gh.failNext({ method: 'GET', path: '/repos/acme/app', status: 502, times: 6 });
    const e = await forge.defaultBranch(REPO, signal()).catch((x: unknown) => x);
    expect(e).toMatchObject({ retryable: true });
  });
});
