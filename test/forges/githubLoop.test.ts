import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatonApp } from '../../src/main/openBaton.ts';
import { githubBaton, type GithubBaton } from './githubBaton.ts';
import type { GithubFixture } from './githubForgeFixture.ts';

/**
 * The loop of test/forges/localLoop.test.ts on the fake GitHub: the App clones and pushes over
 * HTTP with its installation token, opens the pull request, a person (a collaborator's token)
 * reviews it — the workflow waits for `pr.review_submitted` delivered by webhook, and goes back to
 * the change once on changes requested — then a status, the checks, the merge and its `pr.merged`
 * webhook, and cleanup.
 */
const LOOP = `
name: github-pr-loop
inputs:
  repo: { type: string }
steps:
  - id: ws
    uses: git/workspace
    with: { repository: "{{ inputs.repo }}", slug: greeting }
  - id: change
    needs: [ws]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: |
      if [ -f greeting.txt ]; then echo "hello, world (fixed)" > greeting.txt; else echo "helo world" > greeting.txt; fi
  - id: commit
    needs: [change]
    uses: git/commit
    with: { path: "{{ steps.ws.outputs.path }}", repository: "{{ inputs.repo }}", message: "Add the greeting" }
  - id: pr
    needs: [commit]
    uses: forge/pull-request
    with:
      repository: "{{ inputs.repo }}"
      head: "{{ steps.ws.outputs.branch }}"
      title: Add the greeting
      plan: Write greeting.txt.
      changes: One new file.
      tests: The check reads it.
      risks: None.
  - id: review
    needs: [pr]
    wait: { event: pr.review_submitted, if: "event.payload.number == int(steps.pr.outputs.number)" }
    timeout: 60s
    on:
      - { outcome: success, if: "steps.review.outputs.payload.verdict == 'changes_requested'", goto: change, max: 2 }
  - id: test
    needs: [review]
    working_directory: "{{ steps.ws.outputs.path }}"
    run: grep -q "hello, world" greeting.txt
  - id: status
    needs: [test]
    uses: forge/status
    with: { repository: "{{ inputs.repo }}", ref: "{{ steps.commit.outputs.sha }}", context: ci/test, state: success }
  - id: checks
    needs: [status]
    uses: forge/checks
    with: { repository: "{{ inputs.repo }}", number: "{{ steps.pr.outputs.number }}", poll: 100ms }
  - id: merged
    needs: [checks]
    wait: { event: pr.merged, if: "event.payload.number == int(steps.pr.outputs.number)" }
    timeout: 60s
  - id: merge
    needs: [checks]
    uses: forge/merge
    with: { repository: "{{ inputs.repo }}", number: "{{ steps.pr.outputs.number }}", method: squash }
  - id: cleanup
    needs: [merge, merged]
    uses: git/cleanup
    with: { path: "{{ steps.ws.outputs.path }}" }
`;

describe('the PR loop on the fake GitHub (App auth, real git over HTTP, webhooks in)', () => {
  let b: GithubBaton;
  let f: GithubFixture;
  let app: BatonApp;
  let reviewerToken: string;

  beforeAll(async () => {
    b = await githubBaton();
    ({ f, app } = b);
    reviewerToken = f.gh.addToken('reviewer');
  });
  afterAll(() => b?.close());

  /** a person reviews the pull request once the workflow waits for it (iteration `i`) */
  async function reviewWhenWaiting(runId: string, i: number, event: 'REQUEST_CHANGES' | 'APPROVE') {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const r = await app.engine.getRun(runId);
      if (r.steps.some((s) => s.stepKey === 'review' && s.status === 'running' && s.iteration === i)) break;
      if (['succeeded', 'failed', 'cancelled'].includes(r.run.status) || Date.now() > deadline)
        throw new Error(
          `the run never waited for review ${i}: ${JSON.stringify(r.steps.map((s) => [s.stepKey, s.status, s.error, s.iteration]))} deliveries: ${JSON.stringify(f.gh.deliveries.map((x) => [x.event, x.action, x.status]))}`,
        );
      await new Promise((res) => setTimeout(res, 50));
    }
    const pr = [...f.gh.repo('acme', 'app').issues.values()].find((x) => x.pull)!;
    const res = await fetch(`${f.gh.url}/repos/acme/app/pulls/${pr.number}/reviews`, {
      method: 'POST',
      headers: { authorization: `token ${reviewerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event, body: event === 'APPROVE' ? 'looks good' : 'typo in greeting.txt' }),
    });
    expect(res.status).toBe(200);
  }

  it('runs the loop once end to end and leaves one merged pull request', async () => {
    await b.register(LOOP);
    const { run } = await app.engine.createRun({ workflow: 'github-pr-loop', inputs: { repo: 'acme/app' } });
    await reviewWhenWaiting(run.id, 0, 'REQUEST_CHANGES');
    await reviewWhenWaiting(run.id, 1, 'APPROVE');
    const done = await app.engine
      .waitForRun(run.id, { signal: AbortSignal.timeout(60_000) })
      .catch(async (e: unknown) => {
        const x = await app.engine.getRun(run.id);
        throw new Error(
          `${String(e)}: ${JSON.stringify(x.steps.map((s) => [s.stepKey, s.status, s.error]))}`,
        );
      });
    const d = await app.engine.getRun(done.id);
    const step = (k: string) => d.steps.find((s) => s.stepKey === k)!;
    expect(done.status, JSON.stringify(d.steps.map((s) => [s.stepKey, s.status, s.error]))).toBe('succeeded');
    expect(d.run.loopCounts).toEqual({ 'review->change': 1 });

    // one pull request, squash-merged into main on the fake with the fixed file
    const pulls = [...f.gh.repo('acme', 'app').issues.values()].filter((x) => x.pull);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]?.pull?.merged).toBe(true);
    expect(step('pr').outputs?.number).toBe(String(pulls[0]?.number));
    expect(step('merge').outputs).toMatchObject({ merged: 'true', base: 'main' });
    expect(await f.gh.git('acme', 'app', ['show', 'main:greeting.txt'])).toBe('hello, world (fixed)');
    expect(pulls[0]?.body).toContain('<!-- baton:key=');

    // the App's installation token did the git work and the API calls
    const gitCalls = f.gh.calls.filter((c) => /git-(upload|receive)-pack/.test(c.path));
    expect(
      gitCalls.some(
        (c) => /receive-pack/.test(c.path) && String(c.headers.authorization).startsWith('Basic '),
      ),
    ).toBe(true);
    expect(f.gh.serverErrors).toEqual([]);

    // the webhooks were delivered and accepted; the event wait saw the merge
    await f.gh.settled();
    expect(f.gh.deliveries.length).toBeGreaterThan(0);
    expect(f.gh.deliveries.filter((x) => x.status < 200 || x.status >= 300)).toEqual([]);
    expect(step('merged').outputs).toMatchObject({ event_type: 'pr.merged' });
    expect(existsSync(String(step('ws').outputs?.path))).toBe(false);
    expect(step('cleanup').outputs).toEqual({ removed: 'true' });
  }, 120_000);
});
