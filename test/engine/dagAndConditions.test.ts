import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';

describe.each(DIALECTS)('DAG scheduling on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect);
  });
  afterEach(async () => h.close());

  it('runs steps in dependency order, in parallel where the DAG allows, passing outputs', async () => {
    await h.register(`
name: dag
steps:
  - id: a
    run: echo a >> order.txt && echo "n=41" >> "$BATON_OUTPUT"
    outputs: [n]
  - id: b
    needs: a
    run: sleep 0.2 && echo b >> order.txt
  - id: c
    needs: a
    run: sleep 0.2 && echo c >> order.txt && echo "v={{ steps.a.outputs.n }}-c" >> "$BATON_OUTPUT"
    outputs: [v]
  - id: d
    needs: [b, c]
    run: echo "d {{ steps.c.outputs.v }}" >> order.txt
`);
    const run = await h.start('dag');
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
    const lines = readFileSync(join(h.work, 'order.txt'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('a');
    expect(lines.slice(1, 3).sort()).toEqual(['b', 'c']);
    expect(lines[3]).toBe('d 41-c');
    // b and c overlapped: each started before the other finished
    const b = h.step(d, 'b');
    const c = h.step(d, 'c');
    expect(b.startedAt!).toBeLessThan(c.finishedAt!);
    expect(c.startedAt!).toBeLessThan(b.finishedAt!);
    expect(h.step(d, 'c').outputs).toEqual({ v: '41-c' });
  });

  it('skips steps whose if is false and their dependants; failure() and always() still run', async () => {
    await h.register(`
name: conds
inputs:
  deploy: { type: boolean, default: false }
steps:
  - id: build
    run: exit 3
  - id: deploy
    needs: build
    if: inputs.deploy
    run: echo deploying
  - id: notify
    needs: deploy
    run: echo notify
  - id: on_failure
    needs: build
    if: failure()
    run: echo "build failed"
  - id: cleanup
    needs: [deploy, on_failure]
    if: always()
    run: echo cleanup
`);
    const d = await h.finish((await h.start('conds')).id);
    expect(d.run.status).toBe('failed');
    const st = Object.fromEntries(d.steps.map((s) => [s.stepKey, s.status]));
    expect(st).toEqual({
      build: 'failed',
      deploy: 'skipped',
      notify: 'skipped',
      on_failure: 'succeeded',
      cleanup: 'succeeded',
    });
    expect(h.step(d, 'build').error).toMatchObject({ code: 'step_failed' });
    expect(d.run.error?.message).toContain('build');
    expect(await h.logs(d.run.id, 'on_failure')).toContain('build failed');
  });

  it('evaluates if against inputs and outputs; continue_on_error keeps the run green', async () => {
    await h.register(`
name: conds2
inputs:
  env: { type: choice, options: [staging, prod], default: staging }
steps:
  - id: flaky
    run: exit 1
    continue_on_error: true
  - id: probe
    run: echo "ready=yes" >> "$BATON_OUTPUT"
    outputs: [ready]
  - id: ship
    needs: [flaky, probe]
    if: inputs.env == "prod" && steps.probe.outputs.ready == "yes"
    run: echo ship
  - id: stage
    needs: [flaky, probe]
    if: inputs.env == "staging"
    run: echo stage
`);
    const d = await h.finish((await h.start('conds2', { env: 'staging' })).id);
    expect(d.run.status).toBe('succeeded');
    expect(h.step(d, 'ship').status).toBe('skipped');
    expect(h.step(d, 'stage').status).toBe('succeeded');
  });

  it('records every transition in the events outbox, in order', async () => {
    await h.register(`
name: evts
steps:
  - id: one
    run: echo 1
  - id: two
    needs: one
    run: echo 2
`);
    const run = await h.start('evts');
    await h.finish(run.id);
    const events = await h.engine.listEvents(0, 100, run.id);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run.created');
    expect(types.at(-1)).toBe('run.succeeded');
    expect(types.filter((t) => t === 'step.succeeded')).toHaveLength(2);
    const ids = events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(types.indexOf('step.succeeded')).toBeLessThan(types.lastIndexOf('step.queued'));
  });
});
