import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';

const APPROVAL = `
name: gated
steps:
  - id: plan
    run: echo "summary=ship v2" >> "$BATON_OUTPUT"
    outputs: [summary]
  - id: review
    needs: plan
    approval:
      message: "Ship {{ steps.plan.outputs.summary }}?"
      timeout: 1h
      default: reject
  - id: ship
    needs: review
    run: touch shipped
`;

describe.each(DIALECTS)('approvals, waits and loop-backs on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
    await h.register(APPROVAL);
  });
  afterEach(async () => h.close());

  it('waits for approval without holding a runner slot, then continues', async () => {
    const run = await h.start('gated');
    const waiting = await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    const wait = waiting.waits.find((w) => w.kind === 'approval')!;
    expect(wait.payload.message).toBe('Ship ship v2?');
    expect(h.step(waiting, 'review').leaseOwner).toBeNull();
    expect((await h.engine.pendingApprovals()).map((w) => w.runId)).toContain(run.id);
    await h.engine.approve(run.id, 'review', { by: 'dana', comment: 'lgtm' });
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
    expect(existsSync(join(h.work, 'shipped'))).toBe(true);
    const decided = d.waits.find((w) => w.kind === 'approval')!;
    expect(decided).toMatchObject({ status: 'approved', decidedBy: 'dana', comment: 'lgtm' });
    expect(decided.decidedAt).toBeGreaterThan(0);
    await expect(h.engine.approve(run.id, 'review', { by: 'dana' })).rejects.toMatchObject({
      code: 'invalid_state',
    });
  });

  it('a rejection fails the step (and the run) with who and why', async () => {
    const run = await h.start('gated');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    await h.engine.reject(run.id, 'review', { by: 'erin', comment: 'not this week' });
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('failed');
    expect(h.step(d, 'review').error).toMatchObject({
      code: 'approval_rejected',
      message: 'rejected by erin: not this week',
    });
    expect(h.step(d, 'ship').status).toBe('skipped');
  });

  it('an approval timeout applies its default outcome', async () => {
    await h.register(
      APPROVAL.replace('name: gated', 'name: gated2').replace('default: reject', 'default: approve'),
    );
    const run = await h.start('gated2');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    h.clock.advance(2 * 3600_000);
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
    expect(d.waits[0]).toMatchObject({ status: 'timed_out', decidedBy: 'timeout' });
  });

  it('unknown steps get a did-you-mean; approvers are enforced', async () => {
    await h.register(`
name: strict
steps:
  - id: gate
    approval: { approvers: [root] }
`);
    const run = await h.start('strict');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    await expect(h.engine.approve(run.id, 'gat', { by: 'root' })).rejects.toThrow('did you mean "gate"?');
    await expect(h.engine.approve(run.id, 'gate', { by: 'mallory' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await h.engine.approve(run.id, 'gate', { by: 'root' });
    expect((await h.finish(run.id)).run.status).toBe('succeeded');
  });

  it('a wait step holds the run until its time', async () => {
    await h.register(`
name: later
steps:
  - id: nap
    wait: 10m
  - id: go
    needs: nap
    run: echo go
`);
    const run = await h.start('later');
    const w = await h.waitFor(run.id, (d) => h.step(d, 'nap').status === 'running');
    expect(w.waits[0]).toMatchObject({ kind: 'timer', status: 'pending' });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.step(await h.engine.getRun(run.id), 'go').status).toBe('pending');
    h.clock.advance(11 * 60_000);
    expect((await h.finish(run.id)).run.status).toBe('succeeded');
  });

  it('routes back to an earlier step at most max times, then settles', async () => {
    await h.register(`
name: review-loop
steps:
  - id: fix
    run: n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n
  - id: review
    needs: fix
    run: |
      n=$(cat n)
      if [ "$n" -ge "{{ inputs.ok_at }}" ]; then echo "verdict=approve" >> "$BATON_OUTPUT"; else echo "verdict=changes_requested" >> "$BATON_OUTPUT"; fi
    outputs: [verdict]
    on:
      - outcome: success
        if: steps.review.outputs.verdict == "changes_requested"
        goto: fix
        max: 2
  - id: gate
    needs: review
    if: steps.review.outputs.verdict == "approve"
    run: echo merged
inputs:
  ok_at: { type: number, required: true }
`);
    // approves on the 3rd pass: two loop-backs, within max
    let d = await h.finish((await h.start('review-loop', { ok_at: 3 })).id);
    expect(d.run.status).toBe('succeeded');
    expect(d.run.loopCounts).toEqual({ 'review->fix': 2 });
    expect(h.step(d, 'fix').iteration).toBe(2);
    expect(h.step(d, 'gate').status).toBe('succeeded');
    // never approves: after 2 loop-backs the route is exhausted and the step settles
    await import('node:fs').then((fs) => fs.rmSync(join(h.work, 'n')));
    d = await h.finish((await h.start('review-loop', { ok_at: 99 })).id);
    expect(d.run.loopCounts).toEqual({ 'review->fix': 2 });
    expect(h.step(d, 'review').outputs).toEqual({ verdict: 'changes_requested' });
    expect(h.step(d, 'gate').status).toBe('skipped');
    const routed = (await h.engine.listEvents(0, 500, d.run.id)).filter((e) => e.type === 'step.routed');
    expect(routed.map((e) => e.payload.taken)).toEqual([true, true, false]);
  });

  it('a rejected approval can route back to the planning step', async () => {
    await h.register(`
name: replan
steps:
  - id: plan
    run: echo plan
  - id: approve
    needs: plan
    approval: "Accept the plan?"
    on:
      - { outcome: rejected, goto: plan, max: 1 }
`);
    const run = await h.start('replan');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    await h.engine.reject(run.id, 'approve', { by: 'frank', comment: 'redo' });
    const again = await h.waitFor(
      run.id,
      (d) => d.run.status === 'awaiting_approval' && h.step(d, 'plan').iteration === 1,
    );
    expect(h.step(again, 'plan').status).toBe('succeeded');
    await h.engine.approve(run.id, 'approve', { by: 'frank' });
    expect((await h.finish(run.id)).run.status).toBe('succeeded');
  });
});
