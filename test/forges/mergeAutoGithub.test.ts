import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeActionHarness, stepOf, type ForgeActionHarness } from './forgeActionHarness.ts';
import { githubFixture, type GithubFixture } from './githubForgeFixture.ts';
import { mergeFlow } from './forgeFlows.ts';

/**
 * forge/merge on the fake GitHub: `wait: true` (Baton waits, then merges over REST) and `auto:
 * true` (GitHub's auto-merge enabled through GraphQL; the fake merges by itself once the pull
 * request is approved and green, and the step sees the merge).
 */
const flow = (merge: string) => mergeFlow('merge-github', 'acme/app', merge);

describe('forge/merge waiting and auto-merging on the fake GitHub', () => {
  let f: GithubFixture;
  let h: ForgeActionHarness;
  let reviewer: string;
  beforeAll(async () => {
    f = await githubFixture();
    reviewer = f.gh.addToken('reviewer');
    h = await forgeActionHarness({ github: f });
  });
  afterAll(async () => {
    await h?.close();
    await f?.gh.close();
  });

  const rest = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${f.gh.url}${path}`, {
      method,
      headers: { authorization: `token ${reviewer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  };
  const numberOf = async (runId: string) =>
    Number(stepOf(await h.app.engine.getRun(runId), 'propose').outputs?.number);
  const pull = (n: number) => f.gh.repo('acme', 'app').issues.get(n)?.pull;
  /** a person approves the pull request and CI reports green on its head */
  const approveAndGreen = async (n: number, state: 'success' | 'failure' = 'success') => {
    await rest('POST', `/repos/acme/app/pulls/${n}/reviews`, { event: 'APPROVE', body: 'ok' });
    await rest('POST', `/repos/acme/app/statuses/${pull(n)?.headSha}`, { state, context: 'ci' });
  };

  it('wait: true merges over REST once a person approves it and its status turns green', async () => {
    const { runId, done } = await h.start(flow('wait: true'));
    await h.waitForLog(runId, 'merge', /waiting to merge #\d+: no approval of its head/);
    const n = await numberOf(runId);
    expect(pull(n)?.merged).toBe(false);
    await approveAndGreen(n);
    const { d } = await done();
    expect(d.run.status, JSON.stringify(stepOf(d, 'merge').error)).toBe('succeeded');
    expect(stepOf(d, 'merge').outputs).toMatchObject({ merged: 'true', base: 'main' });
    expect(pull(n)?.merged).toBe(true);
    expect(
      f.gh.repo('acme', 'app').merges.filter((m) => m.pullNumber === n && m.status === 200),
    ).toHaveLength(1);
  }, 60_000);

  it('wait: true fails at once when a check fails', async () => {
    const { runId, done } = await h.start(flow('wait: true'));
    await h.waitForLog(runId, 'merge', 'waiting to merge');
    const n = await numberOf(runId);
    const at = Date.now();
    await rest('POST', `/repos/acme/app/statuses/${pull(n)?.headSha}`, {
      state: 'failure',
      context: 'ci/test',
    });
    const { d } = await done();
    expect(d.run.status).toBe('failed');
    expect(stepOf(d, 'merge').error?.message).toContain(
      'its checks failed (ci/test) (waiting cannot fix this)',
    );
    expect(Date.now() - at).toBeLessThan(10_000);
    expect(pull(n)?.merged).toBe(false);
  }, 60_000);

  it('auto: true enables GitHub’s auto-merge through GraphQL; the fake merges it once approved and green', async () => {
    const puts = f.count('PUT', /\/pulls\/\d+\/merge$/);
    const { runId, done } = await h.start(flow('auto: true'));
    await h.waitForLog(runId, 'merge', "enabled GitHub's auto-merge (squash)");
    const n = await numberOf(runId);
    expect(f.count('POST', /^\/graphql$/)).toBeGreaterThan(0);
    expect(pull(n)?.autoMerge).toMatchObject({ mergeMethod: 'squash', enabledBy: { login: 'baton[bot]' } });
    expect(pull(n)?.merged).toBe(false);
    await approveAndGreen(n);
    // the fake merged it itself, as the App that enabled it
    expect(pull(n)?.merged).toBe(true);
    expect(pull(n)?.mergedBy?.login).toBe('baton[bot]');
    const { d } = await done();
    expect(d.run.status, JSON.stringify(stepOf(d, 'merge').error)).toBe('succeeded');
    expect(stepOf(d, 'merge').outputs).toMatchObject({ merged: 'true', auto: 'github', state: 'merged' });
    expect(f.count('PUT', /\/pulls\/\d+\/merge$/)).toBe(puts); // Baton never merged it over REST
  }, 60_000);

  it('auto: true, wait: false hands the merge to GitHub and returns; cancelling a waiting one turns it off', async () => {
    const handed = await h.run(flow('auto: true, wait: false'));
    const m = stepOf(handed.d, 'merge');
    expect(handed.d.run.status, JSON.stringify(m.error)).toBe('succeeded');
    expect(m.outputs).toMatchObject({ merged: 'false', auto: 'github', state: 'open' });
    const n = Number(stepOf(handed.d, 'propose').outputs?.number);
    expect(pull(n)?.autoMerge).not.toBeNull();
    await approveAndGreen(n);
    expect(pull(n)?.merged).toBe(true);

    const { runId, done } = await h.start(flow('auto: true'));
    await h.waitForLog(runId, 'merge', "enabled GitHub's auto-merge");
    const k = await numberOf(runId);
    await h.app.engine.cancel(runId, { by: 'test' });
    await done();
    const deadline = Date.now() + 10_000;
    while (pull(k)?.autoMerge && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(pull(k)?.autoMerge).toBeNull();
    await approveAndGreen(k);
    expect(pull(k)?.merged).toBe(false);
  }, 60_000);

  it('auto: true on a pull request GitHub could merge right away ("clean status") is merged by Baton', async () => {
    const yaml = flow('auto: true').replace(
      '  - id: merge\n    needs: [propose]',
      '  - id: gate\n    needs: [propose]\n    run: sleep 2\n  - id: merge\n    needs: [gate]',
    );
    const { runId, done } = await h.start(yaml);
    await h.waitForLog(runId, 'gate', /^/);
    const n = await numberOf(runId);
    await approveAndGreen(n);
    const { d, log } = await done();
    expect(d.run.status, JSON.stringify(stepOf(d, 'merge').error)).toBe('succeeded');
    expect(stepOf(d, 'merge').outputs).toMatchObject({ merged: 'true' });
    expect(await log('merge')).toMatch(/merged #\d+ into main \(squash\)/);
    expect(pull(n)?.mergedBy?.login).toBe('baton[bot]');
  }, 60_000);

  it('the fake answers the GraphQL mutations like GitHub', async () => {
    const token = f.gh.addToken('acme');
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const res = await fetch(`${f.gh.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { data?: Record<string, unknown>; errors?: Array<{ message: string }> };
    };
    const missing = await gql(
      'mutation($id: ID!) { enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: MERGE}) { pullRequest { number } } }',
      { id: 'PR_nope' },
    );
    expect(missing.errors?.[0]?.message).toContain(
      "Could not resolve to a node with the global id of 'PR_nope'",
    );
    const other = await gql('query { viewer { login } }', {});
    expect(other.errors?.length).toBe(1);

    // through the forge: enabled on a pull request that waits, "clean" on one that could merge now
    const forge = f.forge();
    const signal = AbortSignal.timeout(10_000);
    await f.gh.commitFiles('acme', 'app', { branch: 'gql/x', files: { 'gql.txt': 'x\n' } });
    const pr = await forge.openPullRequest(
      'acme/app',
      { head: 'gql/x', base: 'main', title: 'gql', body: '', draft: false, idempotencyKey: 'gql-test' },
      signal,
    );
    expect(await forge.enableAutoMerge('acme/app', pr.number, 'rebase', signal)).toBe('enabled');
    expect(pull(pr.number)?.autoMerge?.mergeMethod).toBe('rebase');
    await forge.disableAutoMerge('acme/app', pr.number, signal);
    expect(pull(pr.number)?.autoMerge).toBeNull();
    await approveAndGreen(pr.number);
    expect(pull(pr.number)?.merged).toBe(false); // auto-merge is off: nothing merged it
    expect(await forge.enableAutoMerge('acme/app', pr.number, 'merge', signal)).toBe('clean');
  }, 30_000);
});
