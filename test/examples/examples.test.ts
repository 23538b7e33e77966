import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { createHarness, type Harness } from '../helpers/engineHarness.ts';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

describe('examples/', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness('sqlite');
    for (const f of readdirSync(EXAMPLES).filter((x) => x.endsWith('.yaml'))) {
      const source = readFileSync(join(EXAMPLES, f), 'utf8');
      const r = parseWorkflow(source, { file: f });
      if (!r.ok) throw new Error(`${f} is invalid`);
      await h.engine.registerWorkflow(r.workflow, {
        source,
        origin: 'file',
        sourcePath: join(EXAMPLES, f),
        baseDir: EXAMPLES,
      });
    }
  });
  afterEach(async () => h.close());

  it('nightly-plan: lint → flaky tests retried → validate → approval of the reported PR', async () => {
    const run = await h.start('nightly-plan');
    const waiting = await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval', 60_000);
    expect(h.step(waiting, 'tests')).toMatchObject({ status: 'succeeded', attempt: 2, failures: 1 });
    expect(h.step(waiting, 'validate').outputs).toEqual({
      checked: '2',
      pr_url: 'local://sample-project/pulls/1',
    });
    expect(waiting.waits[0]!.payload.message).toContain('local://sample-project/pulls/1');
    await h.engine.approve(run.id, 'approve_pr', { by: 'nightly-owner' });
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
    expect(d.run.outputs).toEqual({ pr_url: 'local://sample-project/pulls/1' });
    expect(await h.logs(run.id, 'lint')).toContain('files checked, 0 problem(s)');
  });

  it('release-gate: retry policy, bounded review loop, timeout and release approval', async () => {
    const run = await h.start('release-gate', { version: '2.1.0', passes_needed: 3 });
    const waiting = await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval', 60_000);
    expect(waiting.run.loopCounts).toEqual({ 'review->fix': 2 });
    expect(waiting.waits[0]!.payload.message).toBe('Release 2.1.0 (dist/app-2.1.0.tgz)?');
    await h.engine.approve(run.id, 'release_approval', { by: 'release-manager' });
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
    expect(await h.logs(run.id, 'publish')).toContain('published dist/app-2.1.0.tgz');
  });

  it('fan-out: one child run per package', async () => {
    const d = await h.finish((await h.start('fan-out')).id, 60_000);
    expect(d.run.status).toBe('succeeded');
    expect(await h.logs(d.run.id, 'report')).toContain('built 3 packages');
  });
});
