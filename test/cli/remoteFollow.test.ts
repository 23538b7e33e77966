import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLE_WORKFLOW } from '../api/apiHarness.ts';
import { createRemoteHarness, type RemoteHarness, type RunningCli } from './remoteHarness.ts';

const FAILING = `
name: failing
steps:
  - id: boom
    run: echo about to fail; exit 3
`;

/** One line every 60 ms: long enough to cut the connection in the middle. */
const COUNTER = `
name: counter
steps:
  - id: count
    run: for i in $(seq 1 40); do echo "line-$i"; sleep 0.06; done
  - id: after
    needs: count
    run: echo done-after
`;

const LINES = [...Array.from({ length: 40 }, (_, i) => `line-${i + 1}`), 'done-after'];

async function until(what: string, pred: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every expected line printed exactly once, in order. */
function expectEachLineOnce(stdout: string): void {
  const printed = stdout.split('\n').filter((l) => /^(line-\d+|done-after)$/.test(l));
  expect(printed).toEqual(LINES);
}

describe('baton --server: following runs over the event stream (sqlite)', () => {
  let h: RemoteHarness;
  // one server for the file's tests (they use runs of their own; the queue is resumed after use)
  beforeAll(async () => {
    h = await createRemoteHarness('sqlite');
    for (const wf of [SIMPLE_WORKFLOW, FAILING, COUNTER]) await h.register(wf);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('run --follow ends with the summary and exit 0 when the run succeeds, 1 when it fails', async () => {
    const ok = await h.remote(['run', 'simple', '--follow', '-i', 'who=remote']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/ hello: succeeded in /);
    expect(ok.stdout).toMatch(/^✔ run [0-9a-f-]{36} succeeded in \S+\n$/m);

    const json = await h.remote(['--json', 'run', 'simple', '--follow']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      created: true,
      run: { status: 'succeeded', workflowName: 'simple', trigger: 'api' },
      steps: [{ stepKey: 'hello', status: 'succeeded' }],
    });

    const failed = await h.remote(['run', 'failing', '--follow']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/run [0-9a-f-]{36} failed/);
    expect(failed.stdout).toContain('step boom failed: command exited with code 3');
    expect(failed.stdout).toMatch(/retry: baton retry [0-9a-f-]{36} boom/);
  });

  it('run ./file.yaml stores the file on the server first; an invalid file is refused here', async () => {
    writeFileSync(
      join(h.dir, 'flow.yaml'),
      'name: uploaded\nsteps:\n  - id: a\n    run: echo from the file\n',
    );
    const r = await h.remote(['run', './flow.yaml', '--follow']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `stored ./flow.yaml on ${h.url} as workflow uploaded v1 (its steps run in the server's directory)\n`,
    );
    const ls = await h.remote(['workflows', 'ls']);
    expect(ls.stdout).toMatch(/^uploaded\s+v1\s+1\s+api\s/m);

    writeFileSync(join(h.dir, 'bad.yaml'), 'name: bad\nsteps:\n  - id: a\n    needs: [zz]\n    run: echo\n');
    const bad = await h.remote(['run', 'bad.yaml']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(
      /^error: bad\.yaml is not a valid workflow:\n {2}bad\.yaml:4:\d+: steps\[0\]\.needs/,
    );
  });

  it('logs -f prints every line as it comes and ends with the run', async () => {
    const run = await h.start('counter');
    const r = await h.remote(['logs', run.id, '-f']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expectEachLineOnce(r.stdout);
    expect(r.stdout).toContain('==> count (attempt 1) <==');
  });

  it('a dropped connection mid-stream: reconnects with Last-Event-ID, every line printed once', async () => {
    const lastEventIds: Array<string | undefined> = [];
    const record = (req: IncomingMessage) => {
      if (req.url?.includes('/stream')) lastEventIds.push(req.headers['last-event-id'] as string | undefined);
    };
    h.app.server.on('request', record);
    const run = await h.start('counter');
    const cli = h.remoteStart(['logs', run.id, '-f']);
    await until('line-8', () => cli.stdout().includes('line-8\n'));
    h.app.server.closeAllConnections(); // the event stream and any read in flight are cut
    const r = await cli.done;
    h.app.server.off('request', record);
    expect(r.code).toBe(0);
    expectEachLineOnce(r.stdout);
    expect(r.stderr).toContain(`reconnecting to ${h.url}`);
    expect(r.stderr).toContain(`reconnected to ${h.url}`);
    expect(lastEventIds[0]).toBeUndefined();
    expect(lastEventIds.slice(1).some((id) => id !== undefined && Number(id) > 0)).toBe(true);
  });

  it('the server restarting on the same port: logs -f and run --follow carry on', async () => {
    const run = await h.start('counter');
    const logs = h.remoteStart(['logs', run.id, '-f']);
    const follow: RunningCli = h.remoteStart(['run', 'counter', '--follow']);
    await until('line-5', () => logs.stdout().includes('line-5\n'));
    await until('the follow to start', () => follow.stdout().includes(' count: running'));
    await h.restart(1_200); // ECONNREFUSED meanwhile
    const [l, f] = await Promise.all([logs.done, follow.done]);
    expect(l.code).toBe(0);
    expectEachLineOnce(l.stdout);
    expect(l.stderr).toMatch(/^reconnecting to http:\/\/127\.0\.0\.1:\d+ \(.+\)…\n/);
    expect(l.stderr).toMatch(/\nreconnected to http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(f.code).toBe(0);
    expect(f.stderr).toContain('reconnecting to');
    expect(f.stdout).toMatch(/^✔ run [0-9a-f-]{36} succeeded in \S+\n$/m);
    if (process.env.SHOW) console.log(l.stderr, f.stderr, f.stdout);
  });
});
