import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeActionHarness, stepOf, type ForgeActionHarness } from './forgeActionHarness.ts';
import { mergeFlow } from './forgeFlows.ts';

/**
 * forge/merge with `wait: true` / `auto: true` on the local forge: Baton waits (holding its slot,
 * logging what it still waits for) until the pull request is approved at its head, green and
 * mergeable, then merges; it fails at once on what waiting cannot fix, and a cancel stops it.
 */
const flow = (merge: string, extra = '') => mergeFlow('merge-wait', 'acme/demo', merge, extra);

describe('forge/merge waiting for its conditions on the local forge', () => {
  let h: ForgeActionHarness;
  const signal = () => AbortSignal.timeout(10_000);
  beforeAll(async () => {
    h = await forgeActionHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('merges once another branch of the workflow approves it and turns its checks green', async () => {
    const { d, log } = await h.run(
      flow(
        'wait: true',
        `
  - id: later
    needs: [propose]
    run: sleep 1
  - id: approve
    needs: [later]
    uses: forge/review
    with: { repository: acme/demo, number: "{{ steps.propose.outputs.number }}", verdict: approve }
  - id: green
    needs: [approve]
    uses: forge/status
    with: { repository: acme/demo, ref: "{{ steps.propose.outputs.head_sha }}", context: ci, state: success }
`,
      ),
    );
    const merge = stepOf(d, 'merge');
    expect(d.run.status, JSON.stringify(d.steps.map((s) => [s.stepKey, s.status, s.error]))).toBe(
      'succeeded',
    );
    expect(merge.outputs).toMatchObject({ merged: 'true', base: 'main', state: 'merged' });
    const text = await log('merge');
    expect(text).toMatch(
      /waiting to merge #\d+: no approval of its head [0-9a-f]{12}; its checks are pending/,
    );
    expect(text).toMatch(/merged #\d+ into main \(squash\)/);
    const pr = await h.local.getPullRequest(h.origin, Number(stepOf(d, 'propose').outputs?.number), signal());
    expect(pr.state).toBe('merged');
  }, 60_000);

  it('auto: true is Baton’s wait-then-merge: a review and a status made through the forge let it merge', async () => {
    const { runId, done } = await h.start(flow('auto: true'));
    await h.waitForLog(runId, 'merge', 'waiting to merge');
    const number = Number(stepOf(await h.app.engine.getRun(runId), 'propose').outputs?.number);
    const pr = await h.local.getPullRequest(h.origin, number, signal());
    await h.local.submitReview(
      h.origin,
      number,
      { verdict: 'approve', body: 'ok', comments: [], idempotencyKey: 'test-review' },
      signal(),
    );
    await h.local.setStatus(h.origin, pr.headSha, { context: 'ci', state: 'success' }, signal());
    const { d } = await done();
    expect(d.run.status).toBe('succeeded');
    expect(stepOf(d, 'merge').outputs).toMatchObject({ merged: 'true', auto: 'baton' });
  }, 60_000);

  it('fails at once when the checks fail, naming them (waiting cannot fix that)', async () => {
    const started = Date.now();
    const { d } = await h.run(
      flow(
        'wait: true',
        `
  - id: red
    needs: [propose]
    uses: forge/status
    with: { repository: acme/demo, ref: "{{ steps.propose.outputs.head_sha }}", context: ci/test, state: failure }
`,
      ).replace('    needs: [propose]\n    uses: forge/merge', '    needs: [red]\n    uses: forge/merge'),
    );
    const merge = stepOf(d, 'merge');
    expect(d.run.status).toBe('failed');
    expect(merge.error?.message).toMatch(
      /#\d+ cannot be merged: its checks failed \(ci\/test\) \(waiting cannot fix this\)/,
    );
    expect(Date.now() - started).toBeLessThan(20_000); // not the step's 60 s timeout
  }, 60_000);

  it('stops at once when the run is cancelled while it waits', async () => {
    const { runId, done } = await h.start(flow('wait: true'));
    await h.waitForLog(runId, 'merge', 'waiting to merge');
    const at = Date.now();
    await h.app.engine.cancel(runId, { by: 'test' });
    expect((await done()).d.run.status).toBe('cancelled');
    // the run is cancelled at once; the step ends as soon as its runner sees it (next heartbeat)
    let merge = stepOf((await done()).d, 'merge');
    while (merge.status === 'running' && Date.now() - at < 5_000) {
      await new Promise((r) => setTimeout(r, 50));
      merge = stepOf((await done()).d, 'merge');
    }
    expect(merge.status).toBe('cancelled');
    expect(Date.now() - at).toBeLessThan(5_000);
  }, 60_000);

  it('the step timeout bounds the wait', async () => {
    const { d, log } = await h.run(flow('wait: true').replace('timeout: 60s', 'timeout: 1s'));
    const merge = stepOf(d, 'merge');
    expect(d.run.status).toBe('failed');
    expect(merge.outcome).toBe('timeout');
    expect(merge.error?.message).toContain("forge/merge timed out after 1s (the step's timeout)");
    expect(await log('merge')).toContain('waiting to merge');
  }, 60_000);
});
