import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { createHarness, FAST_CONFIG, type Harness } from '../helpers/engineHarness.ts';

describe.each(DIALECTS)('queue, concurrency and run creation on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect, { concurrency: 4 });
  });
  afterEach(async () => h.close());

  it('limits concurrent runs per concurrency key and admits the next by priority', async () => {
    await h.register(`
name: deploy
inputs:
  env: { type: string, required: true }
  tag: { type: string, required: true }
concurrency: { key: "{{ inputs.env }}", limit: 1 }
steps:
  - id: go
    run: echo "{{ inputs.tag }} start" >> log-{{ inputs.env }}.txt; sleep 0.2; echo "{{ inputs.tag }} end" >> log-{{ inputs.env }}.txt
`);
    const a = await h.start('deploy', { env: 'prod', tag: 'a' });
    const b = await h.start('deploy', { env: 'prod', tag: 'b' }, { priority: 1 });
    const c = await h.start('deploy', { env: 'prod', tag: 'c' }, { priority: 9 });
    const other = await h.start('deploy', { env: 'staging', tag: 's' });
    expect((await h.engine.getRun(b.id)).run.status).toBe('queued');
    expect((await h.engine.getRun(other.id)).run.status).not.toBe('queued');
    for (const r of [a, b, c, other]) expect((await h.finish(r.id)).run.status).toBe('succeeded');
    const lines = readFileSync(join(h.work, 'log-prod.txt'), 'utf8').trim().split('\n');
    // never interleaved, and c (priority 9) went before b (priority 1)
    expect(lines).toEqual(['a start', 'a end', 'c start', 'c end', 'b start', 'b end']);
  });

  it('claims queued steps by priority and honours max_concurrent', async () => {
    await h.engine.updateQueue({ paused: true, maxConcurrent: 1 }, { by: 'ops' });
    await h.register(`
name: job
inputs: { tag: { type: string, required: true } }
steps:
  - id: s
    run: echo "{{ inputs.tag }} $(date +%s%N)" >> jobs.txt; sleep 0.1
`);
    const runs = [];
    for (const [tag, priority] of [
      ['low', 1],
      ['high', 7],
      ['mid', 4],
    ] as const)
      runs.push(await h.start('job', { tag }, { priority }));
    await h.engine.updateQueue({ paused: false }, { by: 'ops' });
    for (const r of runs) await h.finish(r.id);
    const order = readFileSync(join(h.work, 'jobs.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]);
    expect(order).toEqual(['high', 'mid', 'low']);
    const ds = await Promise.all(runs.map((r) => h.engine.getRun(r.id)));
    const spans = ds
      .map((d) => [d.steps[0]!.startedAt!, d.steps[0]!.finishedAt!] as const)
      .sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it('stop_on_failure pauses the queue when a run fails', async () => {
    await h.engine.updateQueue({ stopOnFailure: true }, { by: 'ops' });
    await h.register(`
name: breaks
steps:
  - id: s
    run: exit 1
`);
    await h.finish((await h.start('breaks')).id);
    const q = await h.engine.queueSettings();
    expect(q.paused).toBe(true);
    expect(q.pausedReason).toContain('stop_on_failure');
  });

  it('creates a run once per idempotency key and refuses the key for a different request', async () => {
    await h.register(`
name: idem
inputs: { n: { type: number, default: 1 } }
steps:
  - id: s
    run: echo {{ inputs.n }} >> idem.txt
`);
    const first = await h.engine.createRun({ workflow: 'idem', inputs: { n: '2' }, idempotencyKey: 'k-1' });
    const again = await h.engine.createRun({ workflow: 'idem', inputs: { n: 2 }, idempotencyKey: 'k-1' });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.run.id).toBe(first.run.id);
    await expect(
      h.engine.createRun({ workflow: 'idem', inputs: { n: 3 }, idempotencyKey: 'k-1' }),
    ).rejects.toMatchObject({ code: 'idempotency_mismatch' });
    await h.finish(first.run.id);
    expect(readFileSync(join(h.work, 'idem.txt'), 'utf8')).toBe('2\n');
  });

  it('rejects bad inputs with the field named and stores nothing', async () => {
    await h.register(`
name: typed
inputs:
  count: { type: number, required: true }
steps:
  - id: s
    run: echo {{ inputs.count }}
`);
    await expect(h.engine.createRun({ workflow: 'typed', inputs: { count: 'many' } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(h.engine.createRun({ workflow: 'typed', inputs: { cuont: 1 } })).rejects.toThrow(/count/);
    await expect(h.engine.createRun({ workflow: 'typd' })).rejects.toThrow('did you mean "typed"?');
    expect(await h.engine.listRuns({ limit: 10 })).toEqual([]);
  });

  it('dry-run reports what steps would do and changes nothing', async () => {
    await h.register(`
name: dry
steps:
  - id: write
    run: touch should-not-exist
  - id: ok
    needs: write
    approval: "ship?"
  - id: nap
    needs: ok
    wait: 1h
`);
    const run = await h.start('dry', {}, { dryRun: true });
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
    expect(existsSync(join(h.work, 'should-not-exist'))).toBe(false);
    expect(await h.logs(run.id, 'write')).toContain('[dry-run] would run');
    expect(await h.logs(run.id, 'write')).toContain('touch should-not-exist');
    expect(h.step(d, 'ok').outputs).toMatchObject({ dry_run: true });
  });

  it('fans out child runs over a list and collects their outputs', async () => {
    await h.register(`
name: child
inputs: { target: { type: string, required: true } }
outputs:
  result: "built {{ inputs.target }}"
steps:
  - id: build
    run: echo {{ inputs.target }} >> children.txt
`);
    await h.register(`
name: parent
inputs:
  targets: { type: json, default: ["api", "web", "cli"] }
steps:
  - id: list
    run: echo 'targets=["api","web","cli"]' >> "$BATON_OUTPUT"
    outputs: [targets]
  - id: each
    needs: list
    workflow:
      name: child
      for_each: inputs.targets
      inputs: { target: "{{ item }}" }
`);
    const d = await h.finish((await h.start('parent')).id);
    expect(d.run.status).toBe('succeeded');
    const out = h.step(d, 'each').outputs as { runs: Array<{ status: string; outputs: { result: string } }> };
    expect(out.runs.map((r) => r.outputs.result)).toEqual(['built api', 'built web', 'built cli']);
    expect(readFileSync(join(h.work, 'children.txt'), 'utf8').trim().split('\n').sort()).toEqual([
      'api',
      'cli',
      'web',
    ]);
    const children = await h.engine.listRuns({ parentRunId: d.run.id, limit: 10 });
    expect(children).toHaveLength(3);
    expect(children.every((c) => c.trigger === 'child')).toBe(true);
  });

  it('starts one run per cron slot even when two engines see the slot', async () => {
    await h.register(`
name: nightly
triggers:
  - schedule: { cron: "0 2 * * *", timezone: Europe/Paris }
steps:
  - id: s
    run: echo night
`);
    const other = new Engine({ store: h.store, clock: h.clock, config: FAST_CONFIG });
    h.clock.advance(25 * 3600_000);
    await Promise.all([h.engine.sweep(), other.sweep(), other.sweep()]);
    const runs = await h.engine.listRuns({ workflowName: 'nightly', limit: 10 });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.trigger).toBe('schedule');
    expect(runs[0]!.idempotencyKey).toMatch(/^schedule:nightly#0:\d{4}-\d\d-\d\dT01:00:00.000Z$/);
    await h.finish(runs[0]!.id);
  });
});
