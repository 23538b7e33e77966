import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliHarness, waitForServe } from './cliHarness.ts';

const TWO_STEPS = `name: two-steps
steps:
  - id: first
    run: echo hello from first; echo x=1 >> $BATON_OUTPUT
    outputs: [x]
  - id: second
    needs: [first]
    run: echo "second saw {{ steps.first.outputs.x }}"; echo warn >&2
`;

const INVALID = `name: broken
steps:
  - id: a
    run: echo a
  - id: b
    needs: [aa]
    run: echo b
`;

const FAILING = `name: failing
steps:
  - id: boom
    run: echo about to fail; exit 3
`;

const GATED = `name: gated
steps:
  - id: build
    run: echo building
  - id: gate
    needs: [build]
    approval:
      message: ship it?
  - id: ship
    needs: [gate]
    run: echo shipped
`;

interface RunJson {
  id: string;
  status: string;
  workflowName: string;
}

describe('baton CLI', () => {
  let cli: CliHarness;

  beforeEach(() => {
    cli = new CliHarness();
    writeFileSync(join(cli.dir, 'two.yaml'), TWO_STEPS);
    writeFileSync(join(cli.dir, 'broken.yaml'), INVALID);
    writeFileSync(join(cli.dir, 'failing.yaml'), FAILING);
    writeFileSync(join(cli.dir, 'gated.yaml'), GATED);
  });

  afterEach(async () => {
    await cli.cleanup();
  });

  it('validates files: ok lines, formatted issues, exit 1 when one is invalid, --json', async () => {
    const r = await cli.run(['validate', 'two.yaml', 'broken.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('two.yaml: ok (two-steps, 2 steps)');
    expect(r.stdout).toMatch(/^broken\.yaml:6:\d+: steps\[1\]\.needs: .*"aa"/m);

    const j = await cli.json<{
      ok: boolean;
      files: Array<{ file: string; ok: boolean; workflow?: string; steps?: number }>;
    }>(['validate', 'two.yaml']);
    expect(j.ok).toBe(true);
    expect(j.files[0]).toMatchObject({ file: 'two.yaml', ok: true, workflow: 'two-steps', steps: 2 });
  });

  it('runs a workflow file in process when no runner is alive; runs ls / runs show / logs see it', async () => {
    const r = await cli.run(['--json', 'run', 'two.yaml', '--idempotency-key', 'k1']);
    expect(r.stderr).toContain('running the workflow in this process');
    expect(r.code).toBe(0);
    const details = JSON.parse(r.stdout) as {
      run: RunJson;
      created: boolean;
      steps: Array<{ stepKey: string; outputs: unknown }>;
    };
    expect(details).toMatchObject({ created: true, run: { status: 'succeeded', workflowName: 'two-steps' } });
    expect(details.steps.find((s) => s.stepKey === 'first')?.outputs).toEqual({ x: '1' });

    const ls = await cli.json<{ runs: RunJson[]; next_cursor: string | null }>(['runs', 'ls']);
    expect(ls.runs).toHaveLength(1);
    expect(ls.runs[0]).toMatchObject({ id: details.run.id, workflowName: 'two-steps', status: 'succeeded' });
    expect(ls.next_cursor).toBeNull();
    const id = details.run.id;

    const show = await cli.run(['runs', 'show', id.slice(0, 13)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(id);
    expect(show.stdout).toMatch(/first\s+run\s+succeeded/);
    expect(show.stdout).toContain('x=1');

    const logs = await cli.run(['logs', id]);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('==> first (attempt 1) <==');
    expect(logs.stdout).toContain('hello from first');
    expect(logs.stdout).toContain('second saw 1');
    expect(logs.stdout).not.toContain('warn');
    expect(logs.stderr).toContain('warn');
  });

  it('exits 1 for a failed run, 69 with a did-you-mean hint for an unknown workflow', async () => {
    const failed = await cli.run(['run', 'failing.yaml']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/run [0-9a-f-]{36} failed/);
    expect(failed.stdout).toContain('exited with code 3');

    const unknown = await cli.run(['run', 'failng']);
    expect(unknown.code).toBe(69);
    expect(unknown.stderr).toContain('error: workflow "failng" is not registered');
    expect(unknown.stderr).toMatch(/hint: did you mean `baton run failing`\?/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const json = await cli.run(['--json', 'runs', 'show', 'abcdef12']);
    expect(json.code).toBe(69);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('enqueues with --no-follow while `serve` runs; approve via the CLI lets the run finish', async () => {
    const server = cli.start(['serve'], { BATON_PORT: '0' });
    const { url, line } = await waitForServe(server);
    expect(line).toMatch(
      /^Baton listening on http:\/\/127\.0\.0\.1:\d+ \(sqlite: .*baton\.db, 4 runner slots, 0 workflows\)$/,
    );
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await fetch(`${url}/nope`).then((r) => r.status)).toBe(404);

    const queued = await cli.json<{ run: RunJson; created: boolean }>(['run', 'gated.yaml', '--no-follow']);
    expect(queued.created).toBe(true);
    const id = queued.run.id;

    let status = '';
    for (let i = 0; i < 20 && status !== 'awaiting_approval'; i++) {
      status = (await cli.json<{ run: RunJson }>(['runs', 'show', id])).run.status;
    }
    expect(status).toBe('awaiting_approval');

    const approve = await cli.run(['approve', id, 'gate', '--comment', 'lgtm']);
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain('approved step gate (by tester)');

    for (let i = 0; i < 20 && status !== 'succeeded'; i++) {
      status = (await cli.json<{ run: RunJson }>(['runs', 'show', id])).run.status;
    }
    expect(status).toBe('succeeded');

    // graceful stop on SIGTERM, exit 0
    const exit = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
