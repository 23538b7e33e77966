import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `baton dev model-server` in a child process, through main.ts's program with the command registered. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let script: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-devms-'));
  script = join(dir, 'baton-dev.mts');
  writeFileSync(
    script,
    [
      `import { buildProgram } from ${JSON.stringify(join(ROOT, 'src/cli/main.ts'))};`,
      `import { registerDevCommand } from ${JSON.stringify(join(ROOT, 'src/cli/commands/devModelServer.ts'))};`,
      `import { handleError } from ${JSON.stringify(join(ROOT, 'src/cli/handleError.ts'))};`,
      `import { processIO } from ${JSON.stringify(join(ROOT, 'src/cli/context.ts'))};`,
      'const { program, ctx } = buildProgram(processIO());',
      'if (!program.commands.some((c) => c.name() === "dev")) registerDevCommand(program, ctx);',
      'try { await program.parseAsync(process.argv.slice(2), { from: "user" }); process.exitCode = ctx.exitCode; }',
      'catch (e) { process.exitCode = handleError(e, ctx); }',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: 'pipe' });
}

function collect(child: ChildProcessWithoutNullStreams) {
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out.stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out.stderr += s));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { out, exited };
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('baton dev model-server', () => {
  it('prints the URL and how to point each CLI at it, serves the scenarios, stops on SIGINT', async () => {
    const child = start(['dev', 'model-server', '--scenarios', 'examples/scenarios', '--api-key', 'k-dev']);
    const { out, exited } = collect(child);
    try {
      await until(() => out.stdout.includes('Ctrl-C'), 'the banner');
      const url = /model server on (http:\/\/127\.0\.0\.1:\d+)/.exec(out.stdout)?.[1];
      expect(url).toBeDefined();
      for (const s of [
        `ANTHROPIC_BASE_URL=${url}`,
        `base_url = "${url}/v1"`,
        `GOOGLE_GEMINI_BASE_URL=${url}`,
        'wire_api = "responses"',
      ])
        expect(out.stdout).toContain(s);
      const res = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'k-dev' },
        body: JSON.stringify({
          model: 'm',
          messages: [{ role: 'user', content: '[scenario:slow-stream] hi' }],
        }),
      });
      expect(await res.json()).toMatchObject({
        content: [{ type: 'text', text: expect.stringContaining('slow, steady') as unknown }],
      });
      await until(() => out.stderr.includes('scenario=slow-stream turn=0'), 'the request log line');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('prints JSON with --json', async () => {
    const child = start([
      '--json',
      'dev',
      'model-server',
      '--scenarios',
      'examples/scenarios/write-hello.yaml',
    ]);
    const { out, exited } = collect(child);
    try {
      await until(() => out.stdout.trim().endsWith('}'), 'the JSON');
      expect(JSON.parse(out.stdout)).toMatchObject({
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) as unknown,
        scenarios: ['write-hello'],
      });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('exits 64 naming the file and field of an invalid scenario', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nturns:\n  - write_file: { path: a }\n');
    const { out, exited } = collect(start(['dev', 'model-server', '--scenarios', bad]));
    expect(await exited).toBe(64);
    expect(out.stderr).toContain(`invalid scenario in ${bad}`);
    expect(out.stderr).toContain('turns[0].reply[0].write_file.content');
    const port = collect(start(['dev', 'model-server', '--scenarios', bad, '--port', 'x']));
    expect(await port.exited).toBe(64);
    expect(port.out.stderr).toContain('--port x is not a port number');
  });
});
