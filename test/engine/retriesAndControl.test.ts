import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/runners/local/procStartTime.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';

describe.each(DIALECTS)('retries, timeouts and control on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => h.close());

  it('retries a failing step with capped exponential backoff until it succeeds', async () => {
    await h.register(`
name: flaky
steps:
  - id: try
    run: |
      n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
      echo "attempt $n"
      [ $n -ge 3 ]
    retry:
      max: 4
      backoff: { initial: 100ms, max: 150ms, factor: 2 }
      jitter: 0
`);
    const d = await h.finish((await h.start('flaky')).id);
    expect(d.run.status).toBe('succeeded');
    const s = h.step(d, 'try');
    expect(s.attempt).toBe(3);
    expect(s.failures).toBe(2);
    expect(d.attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'succeeded']);
    const events = await h.engine.listEvents(0, 200, d.run.id);
    const delays = events.filter((e) => e.type === 'step.retrying').map((e) => e.payload.delayMs);
    expect(delays).toEqual([100, 150]);
    // the waits were honoured: the third attempt started ≥ 250 ms after the first
    expect(d.attempts[2]!.startedAt - d.attempts[0]!.startedAt).toBeGreaterThanOrEqual(240);
    expect(await h.logs(d.run.id, 'try')).toContain('attempt 3');
  });

  it('gives up after retry.max and does not retry outcomes not listed in retry.on', async () => {
    await h.register(`
name: hopeless
steps:
  - id: fail
    run: exit 2
    retry: { max: 2, backoff: { initial: 10ms, max: 10ms }, jitter: 0 }
  - id: slow
    run: sleep 5
    timeout: 200ms
    retry: { max: 3, on: [failure], backoff: { initial: 10ms, max: 10ms } }
`);
    const d = await h.finish((await h.start('hopeless')).id);
    expect(d.run.status).toBe('failed');
    expect(h.step(d, 'fail').attempt).toBe(3);
    expect(h.step(d, 'slow').attempt).toBe(1);
    expect(h.step(d, 'slow').outcome).toBe('timeout');
  });

  it('kills the whole process group when a step times out', async () => {
    await h.register(`
name: hang
steps:
  - id: hang
    run: |
      sleep 30 &
      echo $! > child.pid
      echo $$ > shell.pid
      wait
    timeout: 400ms
`);
    const d = await h.finish((await h.start('hang')).id);
    const s = h.step(d, 'hang');
    expect(s.status).toBe('failed');
    expect(s.error).toMatchObject({ code: 'step_timeout' });
    for (const f of ['child.pid', 'shell.pid']) {
      const pid = Number(readFileSync(join(h.work, f), 'utf8'));
      expect(isProcessAlive(pid)).toBe(false);
    }
  });

  it('cancel kills the running step and cancels what has not started', async () => {
    await h.register(`
name: long
steps:
  - id: work
    run: echo $$ > work.pid; exec sleep 30
  - id: after
    needs: work
    run: echo never
`);
    const run = await h.start('long');
    await h.waitFor(run.id, () => existsSync(join(h.work, 'work.pid')));
    const t0 = Date.now();
    await h.engine.cancel(run.id, { by: 'alice', reason: 'not needed' });
    const d = await h.waitFor(run.id, (x) =>
      x.steps.every((s) => ['cancelled', 'succeeded', 'failed', 'skipped'].includes(s.status)),
    );
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(d.run.status).toBe('cancelled');
    expect(d.run.error?.message).toContain('alice');
    expect(h.step(d, 'work').status).toBe('cancelled');
    expect(h.step(d, 'after').status).toBe('cancelled');
    const pid = Number(readFileSync(join(h.work, 'work.pid'), 'utf8'));
    await h.waitFor(run.id, () => !isProcessAlive(pid));
    await expect(h.engine.cancel(run.id, { by: 'alice' })).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('pause lets the running step finish but starts nothing new until resume', async () => {
    await h.register(`
name: pausable
steps:
  - id: first
    run: sleep 0.4
  - id: second
    needs: first
    run: echo second
`);
    const run = await h.start('pausable');
    await h.waitFor(run.id, (d) => h.step(d, 'first').status === 'running');
    await h.engine.pause(run.id, { by: 'bob' });
    const paused = await h.waitFor(run.id, (d) => h.step(d, 'first').status === 'succeeded');
    await new Promise((r) => setTimeout(r, 300));
    const still = await h.engine.getRun(run.id);
    expect(still.run.status).toBe('paused');
    expect(h.step(still, 'second').status).toBe('queued');
    expect(h.step(paused, 'second').attempt).toBe(0);
    await h.engine.resume(run.id, { by: 'bob' });
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
  });

  it('pauses and resumes the whole queue', async () => {
    await h.engine.updateQueue({ paused: true }, { by: 'ops' });
    await h.register(`
name: quick
steps:
  - id: s
    run: echo hi
`);
    const run = await h.start('quick');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.step(await h.engine.getRun(run.id), 's').status).toBe('queued');
    await h.engine.updateQueue({ paused: false }, { by: 'ops' });
    expect((await h.finish(run.id)).run.status).toBe('succeeded');
  });

  it('retry of a failed step re-runs it and the steps it blocked; force-advance skips past a failure', async () => {
    await h.register(`
name: fixable
steps:
  - id: check
    run: test -f fixed
  - id: after
    needs: check
    run: echo after
`);
    const run = await h.start('fixable');
    let d = await h.finish(run.id);
    expect(d.run.status).toBe('failed');
    expect(h.step(d, 'after').status).toBe('skipped');
    await import('node:fs').then((fs) => fs.writeFileSync(join(h.work, 'fixed'), ''));
    await h.engine.retry(run.id, 'check', { by: 'carol' });
    d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
    expect(h.step(d, 'check').attempt).toBe(2);
    expect(h.step(d, 'after').status).toBe('succeeded');

    const run2 = await h.start('fixable');
    await import('node:fs').then((fs) => fs.rmSync(join(h.work, 'fixed')));
    d = await h.finish(run2.id);
    expect(d.run.status).toBe('failed');
    await h.engine.advance(run2.id, 'check', { by: 'carol', reason: 'known flake' });
    d = await h.finish(run2.id);
    expect(d.run.status).toBe('succeeded');
    expect(h.step(d, 'check')).toMatchObject({ status: 'succeeded', forced: true });
  });
});
