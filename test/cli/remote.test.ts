import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_WORKFLOW, SIMPLE_WORKFLOW } from '../api/apiHarness.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { createRemoteHarness, type RemoteHarness } from './remoteHarness.ts';

const SLOW = `
name: slow
steps:
  - id: sleeper
    run: sleep 30
`;

interface RunJson {
  id: string;
  status: string;
  trigger: string;
  createdBy: string | null;
}

describe.each(DIALECTS)('baton --server: runs, approvals, control, queue (%s)', (dialect) => {
  let h: RemoteHarness;
  // one server for the file's tests (they use runs of their own; the queue is resumed after use)
  beforeAll(async () => {
    h = await createRemoteHarness(dialect);
    for (const wf of [SIMPLE_WORKFLOW, APPROVAL_WORKFLOW, SLOW]) await h.register(wf);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('starts a run, lists and shows it, approves its gate through the API', async () => {
    const started = await h.remote(['--json', 'run', 'gated', '--no-follow']);
    expect(started.code).toBe(0);
    const { run, created } = JSON.parse(started.stdout) as { run: RunJson; created: boolean };
    expect(created).toBe(true);
    expect(run.trigger).toBe('api');
    expect(run.createdBy).toBeTruthy(); // X-Baton-Actor ($USER) until the server takes the token's user
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');

    const ls = await h.remote(['runs', 'ls', '--status', 'awaiting_approval']);
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(new RegExp(`^${run.id.slice(0, 8)}\\S*\\s+gated\\s+awaiting_approval`, 'm'));

    const show = await h.remote(['runs', 'show', run.id.slice(0, 13).replace(/-/g, '')]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`run      ${run.id}  (workflow gated v1)`);
    expect(show.stdout).toContain(`approve: baton approve ${run.id} gate`);

    const approve = await h.remote(['approve', run.id, 'gate', '--comment', 'lgtm']);
    expect(approve).toMatchObject({ code: 0, stderr: '' });
    const by = /^approved step gate \(by (\S+)\); run \S+ is now (running|succeeded)\n$/.exec(
      approve.stdout,
    )?.[1];
    expect(by).toBeTruthy(); // whom the server recorded (X-Baton-Actor until it takes the token's user)
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
    expect(d.waits[0]).toMatchObject({ status: 'approved', decidedBy: by, comment: 'lgtm' });

    const again = await h.remote(['approve', run.id, 'gate']);
    expect(again.code).toBe(65); // not awaiting approval any more: a conflict, as in local mode
    expect(again.stderr).toMatch(/^error: /);
  });

  it('cancels a running run', async () => {
    const { run } = JSON.parse((await h.remote(['--json', 'run', 'slow', '--no-follow'])).stdout) as {
      run: RunJson;
    };
    await h.waitFor(run.id, (d) => d.steps[0]?.status === 'running');
    const cancel = await h.remote(['cancel', run.id, '--reason', 'enough']);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(/^cancel recorded; run \S+ is now cancelled\n$/);
    expect((await h.finish(run.id)).run.status).toBe('cancelled');
  });

  it('shows, pauses, limits and resumes the queue', async () => {
    const status = await h.remote(['queue']);
    expect(status.code).toBe(0);
    expect(status.stdout).toBe('queue            running\nmax concurrent   no limit\nstop on failure  no\n');

    const paused = await h.remote(['queue', 'pause', '--reason', 'maintenance']);
    expect(paused.stdout).toMatch(/^queue paused\n {2}queue {12}paused \(maintenance\)\n/);
    const json = JSON.parse((await h.remote(['--json', 'queue', 'status'])).stdout) as {
      queue: { paused: boolean; pausedReason: string };
      runners: null;
    };
    expect(json).toMatchObject({ queue: { paused: true, pausedReason: 'maintenance' }, runners: null });

    const set = await h.remote(['queue', 'set', '--max-concurrent', '3', '--stop-on-failure', 'true']);
    expect(set.stdout).toContain('max concurrent   3');
    expect(set.stdout).toContain('stop on failure  yes');
    expect((await h.remote(['queue', 'resume'])).stdout).toMatch(/^queue resumed\n {2}queue {12}running\n/);
  });
});
