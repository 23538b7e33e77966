import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatonError } from '../../src/domain/errors.ts';
import { forgeActionHarness, stepOf, type ForgeActionHarness } from './forgeActionHarness.ts';
import { githubFixture, type GithubFixture } from './githubForgeFixture.ts';
import { proposeFlow } from './forgeFlows.ts';

/**
 * forge/propose on the fake GitHub (App auth, real git over HTTP): GitHub's own 422s and 5xx,
 * scripted on the routes, drive the compensation — a branch this step created deleted (REST
 * compare-and-delete) when the pull request is refused, the pull request closed with a comment
 * when reviewers are refused, nothing undone when a retry follows.
 */
const flow = (o: Parameters<typeof proposeFlow>[1] = {}) => proposeFlow('acme/app', o);

describe('forge/propose on the fake GitHub', () => {
  let f: GithubFixture;
  let h: ForgeActionHarness;
  const pulls = () => [...f.gh.repo('acme', 'app').issues.values()].filter((i) => i.pull);
  beforeAll(async () => {
    f = await githubFixture();
    f.gh.addToken('alice');
    h = await forgeActionHarness({ github: f });
  });
  afterAll(async () => {
    await h?.close();
    await f?.gh.close();
  });

  it('opens one pull request with the template and asks for reviews', async () => {
    const { d } = await h.run(flow({ reviewers: 'alice' }));
    const s = stepOf(d, 'propose');
    expect(d.run.status, JSON.stringify(s.error)).toBe('succeeded');
    expect(s.outputs).toMatchObject({ branch_created: 'true', created: 'true', base: 'main' });
    const pr = f.gh.repo('acme', 'app').issues.get(Number(s.outputs?.number));
    expect(pr?.body).toContain('## Plan\n\nWrite a file.');
    expect(pr?.body).toContain('<!-- baton:key=');
    expect(pr?.pull?.requestedReviewers.map((u) => u.login)).toEqual(['alice']);
    expect(await f.gh.branchSha('acme', 'app', String(s.outputs?.head))).toBe(s.outputs?.head_sha);
    expect(f.gh.serverErrors).toEqual([]);
  }, 60_000);

  it('deletes the branch it created when GitHub refuses the pull request (422)', async () => {
    f.gh.failNext({
      method: 'POST',
      path: '/repos/acme/app/pulls',
      status: 422,
      message: 'Validation Failed',
      errors: [{ resource: 'PullRequest', code: 'custom', message: 'pull requests are frozen' }],
    });
    const before = pulls().length;
    const { d } = await h.run(flow());
    const s = stepOf(d, 'propose');
    const branch = String(stepOf(d, 'ws').outputs?.branch);
    expect(d.run.status).toBe('failed');
    expect(s.error?.message).toContain('open the pull request failed: GitHub refused to open a pull request');
    expect(s.error?.message).toContain('pull requests are frozen');
    expect(s.error?.message).toContain(`deleted branch ${branch}`);
    expect(await f.gh.branchSha('acme', 'app', branch)).toBeUndefined();
    expect(pulls()).toHaveLength(before);
    expect(f.count('DELETE', /\/git\/refs\/heads/)).toBeGreaterThan(0);
  }, 60_000);

  it('closes the pull request with a comment and deletes the branch when GitHub refuses the reviewers (422)', async () => {
    f.gh.failNext({
      method: 'POST',
      path: /\/pulls\/\d+\/requested_reviewers$/,
      status: 422,
      message: 'Reviews may only be requested from collaborators.',
    });
    const { d } = await h.run(flow({ reviewers: 'stranger' }));
    const s = stepOf(d, 'propose');
    const branch = String(stepOf(d, 'ws').outputs?.branch);
    expect(d.run.status).toBe('failed');
    expect(s.error?.message).toContain('request reviews from stranger failed: GitHub refused');
    expect(s.error?.message).toMatch(/closed pull request #(\d+) \(opened by this step\)/);
    const number = Number(/closed pull request #(\d+)/.exec(String(s.error?.message))?.[1]);
    const issue = f.gh.repo('acme', 'app').issues.get(number);
    expect(issue?.state).toBe('closed');
    expect(issue?.pull?.merged).toBe(false);
    const comments = f.gh.repo('acme', 'app').comments.filter((c) => c.issueNumber === number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('Baton withdrew this pull request');
    expect(comments[0]?.body).toContain('Reviews may only be requested from collaborators.');
    expect(await f.gh.branchSha('acme', 'app', branch)).toBeUndefined();
  }, 60_000);

  it('undoes nothing on 5xx with retries left: the next attempt completes with one pull request', async () => {
    // more 502s than the client retries: the first attempt fails (retryable), the second goes through
    f.gh.failNext({ method: 'POST', path: '/repos/acme/app/pulls', status: 502, times: 6 });
    const { d, log } = await h.run(flow({ retry: 'retry: { max: 1, backoff: { initial: 100ms } }' }));
    const s = stepOf(d, 'propose');
    expect(d.run.status, JSON.stringify(s.error)).toBe('succeeded');
    expect(s.attempt).toBe(2);
    expect(s.outputs).toMatchObject({ created: 'true', branch_created: 'true' });
    expect(await log('propose')).toContain('nothing is undone');
    const mine = pulls().filter((p) => p.pull?.head === s.outputs?.head);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.state).toBe('open');
  }, 60_000);

  it('never deletes a branch that existed before, nor one that moved since its push', async () => {
    const theirs = await f.gh.commitFiles('acme', 'app', {
      branch: 'theirs',
      files: { 'theirs.txt': 'theirs\n' },
    });
    f.gh.failNext({
      method: 'POST',
      path: '/repos/acme/app/pulls',
      status: 422,
      message: 'Validation Failed',
    });
    const first = await h.run(flow({ branch: 'theirs' }));
    expect(first.d.run.status).toBe('failed');
    expect(stepOf(first.d, 'propose').error?.message).toContain(
      'kept branch theirs: it existed on the remote before this step pushed to it',
    );
    const after = await f.gh.branchSha('acme', 'app', 'theirs');
    expect(after).toBeDefined();
    expect(after).not.toBe(theirs); // our commit is on it, and stays

    let moved = '';
    h.fail('openPullRequest', {
      error: new BatonError('invalid_state', 'refused'),
      before: async () => {
        moved = await f.gh.commitFiles('acme', 'app', { branch: 'run/moving', files: { 'x.txt': 'x\n' } });
      },
    });
    const second = await h.run(flow({ branch: 'run/moving' }));
    expect(second.d.run.status).toBe('failed');
    expect(stepOf(second.d, 'propose').error?.message).toContain(
      `kept branch run/moving: it moved to ${moved.slice(0, 12)}`,
    );
    expect(await f.gh.branchSha('acme', 'app', 'run/moving')).toBe(moved);
  }, 60_000);

  it('the forge compares before it deletes, and a missing ref is 422 "Reference does not exist" as on GitHub', async () => {
    const forge = f.forge();
    const signal = AbortSignal.timeout(10_000);
    const sha = await f.gh.commitFiles('acme', 'app', { branch: 'tmp/x', files: { 'y.txt': 'y\n' } });
    expect(await forge.branchSha('acme/app', 'tmp/x', signal)).toBe(sha);
    expect(await forge.deleteBranch('acme/app', 'tmp/x', 'f'.repeat(40), signal)).toEqual({
      deleted: false,
      sha,
    });
    expect(await forge.deleteBranch('acme/app', 'tmp/x', sha, signal)).toEqual({ deleted: true, sha });
    expect(await forge.deleteBranch('acme/app', 'tmp/x', sha, signal)).toEqual({ deleted: false, sha: null });
    expect(await forge.branchSha('acme/app', 'tmp/x', signal)).toBeNull();
    const token = f.gh.addToken('acme');
    const res = await fetch(`${f.gh.url}/repos/acme/app/git/refs/heads/tmp/x`, {
      method: 'DELETE',
      headers: { authorization: `token ${token}` },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ message: 'Reference does not exist' });
  }, 60_000);
});
