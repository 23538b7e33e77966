import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StepJob } from '../../engine/ports/stepExecutor.ts';
import { BufferedLogSink, type LogChunk } from '../logs/bufferedLogSink.ts';
import { MemorySink } from '../testing/memorySink.ts';
import { RecordingRegistry } from '../testing/recordingRegistry.ts';
import { LocalExecutor, type LocalExecutorOptions } from './localExecutor.ts';
import { signalGroup } from './processGroup.ts';
import { isProcessAlive } from './procStartTime.ts';

const PATH = process.env.PATH ?? '/usr/bin:/bin';
let workDir = '';
let registry = new RecordingRegistry();
const extraPids: number[] = [];

beforeAll(() => {
  workDir = realpathSync(mkdtempSync(join(tmpdir(), 'baton-exec-test-')));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
afterEach(() => {
  for (const r of registry.records) signalGroup(r.pgid, 'SIGKILL');
  for (const pid of extraPids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  registry = new RecordingRegistry();
});

function job(command: string, over: Partial<StepJob> = {}): StepJob {
  return {
    runId: 'r1',
    stepId: 's1',
    stepKey: 'build',
    attempt: 1,
    command,
    cwd: workDir,
    env: { PATH },
    dryRun: false,
    ...over,
  };
}

function executor(opts: LocalExecutorOptions = {}): LocalExecutor {
  return new LocalExecutor({ registry, killGraceMs: 500, ...opts });
}

async function run(
  command: string,
  over: Partial<StepJob> = {},
  opts: LocalExecutorOptions = {},
  signal = new AbortController().signal,
) {
  const sink = new MemorySink();
  const result = await executor(opts).execute(job(command, over), sink, signal);
  return {
    result,
    sink,
    stdout: sink.text('stdout'),
    stderr: sink.text('stderr'),
    system: sink.text('system'),
  };
}

/** The pids a command printed, one per line, remembered for cleanup. */
function pids(stdout: string): number[] {
  const found = stdout
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
  extraPids.push(...found);
  return found;
}

describe('LocalExecutor', () => {
  it('gives the child exactly job.env plus BATON_OUTPUT, in a private temp dir removed afterwards', async () => {
    const env = { PATH, FOO: 'bar', EMPTY: '' };
    const { result, stdout } = await run('process.stdout.write(JSON.stringify(process.env))', {
      shell: 'node',
      env,
    });
    expect(result.outcome).toBe('success');
    const childEnv = JSON.parse(stdout) as Record<string, string>;
    const outputFile = childEnv.BATON_OUTPUT ?? '';
    expect(childEnv).toEqual({ ...env, BATON_OUTPUT: outputFile });
    expect(outputFile).toMatch(/baton-step-/);
    expect(existsSync(dirname(outputFile))).toBe(false);
  });

  it('runs in job.cwd with stdin closed, streaming stdout and stderr', async () => {
    const { result, stdout, stderr } = await run('pwd; cat; echo oops >&2');
    expect(result).toMatchObject({ outcome: 'success', exitCode: 0, signal: null, outputs: {} });
    expect(stdout).toBe(`${workDir}\n`);
    expect(stderr).toBe('oops\n');
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('reports a missing cwd as a failure naming the directory', async () => {
    const missing = join(workDir, 'nope');
    const { result } = await run('true', { cwd: missing });
    expect(result.outcome).toBe('failure');
    expect(result.error?.message).toContain(missing);
    expect(registry.records).toHaveLength(0);
  });

  it('maps exit codes and signals to failures', async () => {
    const a = await run('echo before; exit 3');
    expect(a.result).toMatchObject({
      outcome: 'failure',
      exitCode: 3,
      error: { code: 'step_failed', message: 'command exited with code 3' },
    });
    const b = await run('kill -SEGV $$');
    expect(b.result).toMatchObject({ outcome: 'failure', exitCode: null, signal: 'SIGSEGV' });
    expect(b.result.error?.message).toContain('killed by SIGSEGV');
    const c = await run('false | true'); // bash -eo pipefail
    expect(c.result.outcome).toBe('failure');
  });

  it('supports sh, python3 and node shells, and names a missing or unknown shell', async () => {
    expect((await run('echo "$0"', { shell: 'sh' })).stdout).toMatch(/sh\n$/);
    const py = await run('import os\nprint(os.environ["FOO"])', {
      shell: 'python3',
      env: { PATH, FOO: 'py', HOME: process.env.HOME ?? '/' },
    });
    expect(py.stdout).toBe('py\n');
    const missing = await run('print(1)', { shell: 'python3', env: { PATH: '/nonexistent' } });
    expect(missing.result.outcome).toBe('failure');
    expect(missing.result.error?.message).toContain('python3');
    expect((await run('x', { shell: 'zsh' })).result.error?.message).toContain('zsh');
  });

  it('parses $BATON_OUTPUT key=value and heredoc outputs', async () => {
    const cmd = [
      'echo "name=baton" >> "$BATON_OUTPUT"',
      'echo "eq=a=b" >> "$BATON_OUTPUT"',
      'printf "body<<EOF\\nline 1\\nline 2\\nEOF\\n" >> "$BATON_OUTPUT"',
    ].join('\n');
    const { result } = await run(cmd);
    expect(result).toMatchObject({
      outcome: 'success',
      outputs: { name: 'baton', eq: 'a=b', body: 'line 1\nline 2' },
    });
  });

  it('fails on an invalid output line, naming the line', async () => {
    const { result } = await run('echo ok=1 >> "$BATON_OUTPUT"; echo "not an output" >> "$BATON_OUTPUT"');
    expect(result.outcome).toBe('failure');
    expect(result.error?.message).toMatch(/line 2/);
  });

  it('fails with output_too_large naming the key and sizes', async () => {
    const { result } = await run(
      'head -c 2000 /dev/zero | tr "\\0" x | sed "s/^/big=/" >> "$BATON_OUTPUT"',
      {},
      { outputLimits: { valueBytes: 1000 } },
    );
    expect(result.outcome).toBe('failure');
    expect(result.error?.code).toBe('output_too_large');
    expect(result.error?.message).toContain('"big"');
    expect(result.error?.message).toContain('2000');
    expect(result.error?.message).toContain('1000');
    const total = await run(
      'echo a=12345 >> "$BATON_OUTPUT"; echo b=12345 >> "$BATON_OUTPUT"',
      {},
      { outputLimits: { totalBytes: 10 } },
    );
    expect(total.result.error).toMatchObject({ code: 'output_too_large' });
    expect(total.result.error?.message).toContain('"b"');
  });

  it('on timeout kills the whole process group, grandchildren included', async () => {
    const { result, stdout } = await run('sleep 1000 & echo $!; sleep 1000', { timeoutMs: 300 });
    expect(result).toMatchObject({ outcome: 'timeout', error: { code: 'step_timeout' } });
    expect(result.error?.message).toContain('300 ms');
    const [grandchild] = pids(stdout);
    expect(grandchild).toBeGreaterThan(0);
    expect(isProcessAlive(grandchild ?? 0)).toBe(false);
    expect(registry.removed).toEqual([registry.records[0]?.pid]);
  });

  it('on abort resolves cancelled with the reason in the message', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort('lease_lost'), 200);
    const t0 = performance.now();
    const { result } = await run('sleep 1000', {}, {}, ac.signal);
    expect(result).toMatchObject({ outcome: 'cancelled', error: { code: 'cancelled' } });
    expect(result.error?.message).toContain('lease_lost');
    expect(performance.now() - t0).toBeLessThan(3000);
    const pre = new AbortController();
    pre.abort('cancelled');
    const early = await run('touch spawned', {}, {}, pre.signal);
    expect(early.result.outcome).toBe('cancelled');
    expect(existsSync(join(workDir, 'spawned'))).toBe(false);
  });

  it('keeps the output a process prints while handling SIGTERM', async () => {
    const ac = new AbortController();
    const sink = new MemorySink();
    const running = executor().execute(
      job("trap 'echo got TERM; exit 1' TERM; echo started; sleep 1000 & wait"),
      sink,
      ac.signal,
    );
    for (let i = 0; i < 200 && !sink.text('stdout').includes('started'); i++)
      await new Promise((r) => setTimeout(r, 10));
    ac.abort('cancelled');
    const result = await running;
    expect(result).toMatchObject({
      outcome: 'cancelled',
      exitCode: 1,
      error: { message: 'step cancelled (cancelled)' },
    });
    expect(sink.text('stdout')).toBe('started\ngot TERM\n');
  });

  it('KILLs a group that ignores SIGTERM after the grace period', async () => {
    const { result, stdout } = await run(
      "trap '' TERM; sleep 1000 & echo $!; sleep 1000",
      { timeoutMs: 200 },
      { killGraceMs: 400 },
    );
    expect(result.outcome).toBe('timeout');
    expect(result.signal).toBe('SIGKILL');
    expect(result.durationMs).toBeGreaterThanOrEqual(550);
    expect(result.durationMs).toBeLessThan(4000);
    expect(isProcessAlive(pids(stdout)[0] ?? 0)).toBe(false);
  });

  it('kills background children after a normal exit without waiting for their stdio', async () => {
    const { result, stdout } = await run('sleep 1000 & echo $!; echo done', {}, { stdioIdleMs: 10_000 });
    expect(result.outcome).toBe('success');
    expect(result.durationMs).toBeLessThan(5000); // under stdioIdleMs: the pipes closed when the group died
    expect(isProcessAlive(pids(stdout)[0] ?? 0)).toBe(false);
  });

  it('stops reading stdio held open by a process that left the group', async () => {
    const { result, stdout, system } = await run(
      'setsid sleep 1000 & echo $!; sleep 0.3',
      {},
      { stdioIdleMs: 200 },
    );
    pids(stdout);
    expect(result.outcome).toBe('success');
    expect(result.durationMs).toBeLessThan(2000);
    expect(system).toContain('stopped reading output');
  });

  it('streams 100 MB through a slow BufferedLogSink with bounded memory and nothing lost', async () => {
    let persisted = 0;
    let lastSeq = -1;
    let ordered = true;
    const chunkBytes = 64 * 1024;
    const maxBufferedBytes = 1024 * 1024;
    const sink = new BufferedLogSink({
      chunkBytes,
      maxBufferedBytes,
      persist: async (chunks: LogChunk[]) => {
        for (const c of chunks) {
          if (c.seq !== lastSeq + 1 || c.stream !== 'stdout' || c.data.length > chunkBytes) ordered = false;
          lastSeq = c.seq;
          persisted += c.data.length;
        }
        await new Promise((r) => setTimeout(r, 2));
      },
    });
    const result = await executor().execute(
      job('head -c 100000000 /dev/zero'),
      sink,
      new AbortController().signal,
    );
    await sink.flush();
    expect(result.outcome).toBe('success');
    expect(persisted).toBe(100_000_000);
    expect(sink.bytesWritten).toBe(100_000_000);
    expect(ordered).toBe(true);
    // bounded: the limit, a chunk being assembled, and the pipe reads (≤ 64 KiB each) already in
    // flight when the sink pushes back — one, or two on a loaded machine
    expect(sink.peakBufferedBytes).toBeLessThanOrEqual(maxBufferedBytes + chunkBytes + 2 * 64 * 1024);
  }, 30_000);

  it('dry-run spawns nothing and reports the command, shell and env names (not values)', async () => {
    const { result, system } = await run('touch dry-run-marker', {
      dryRun: true,
      env: { PATH, SECRET_TOKEN: 'hunter2' },
    });
    expect(result).toMatchObject({ outcome: 'success', outputs: {}, exitCode: null });
    expect(system).toContain(`[dry-run] would run in ${workDir} with bash:\ntouch dry-run-marker\n`);
    expect(system).toContain('SECRET_TOKEN');
    expect(system).not.toContain('hunter2');
    expect(existsSync(join(workDir, 'dry-run-marker'))).toBe(false);
    expect(registry.records).toHaveLength(0);
  });

  it('records the process in the registry and removes it when the group is gone', async () => {
    const { result } = await run('echo hi', { stepId: 'step-7', attempt: 3 });
    expect(result.outcome).toBe('success');
    const [rec] = registry.records;
    expect(rec).toMatchObject({ stepId: 'step-7', attempt: 3 });
    expect(rec?.pgid).toBe(rec?.pid);
    expect(rec?.startTime).toMatch(/^\d+$/);
    expect(registry.removed).toEqual([rec?.pid]);
  });

  it('kills the child and fails when the registry cannot record it', async () => {
    registry.failRecord = new Error('db down');
    const { result } = await run('sleep 1000');
    expect(result).toMatchObject({ outcome: 'failure', error: { code: 'internal' } });
    expect(result.error?.message).toContain('db down');
    expect(isProcessAlive(registry.records[0]?.pid ?? 0)).toBe(false);
  });
});
