import { createServer, type IncomingHttpHeaders } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitError } from '../../src/forges/git/GitError.ts';
import { credentialConfig, tokenCredentials } from '../../src/forges/git/GitCredentials.ts';
import { runGit } from '../../src/forges/git/runGit.ts';
import { isProcessAlive } from '../../src/runners/local/procStartTime.ts';
import { git, tempDir } from './gitFixture.ts';

let tmp: ReturnType<typeof tempDir>;
const signal = () => new AbortController().signal;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

async function rejection(p: Promise<unknown>): Promise<GitError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GitError);
  return e as GitError;
}

describe('runGit', () => {
  it('keeps user and system config, GIT_DIR and the locale of the host out', async () => {
    const home = join(tmp.dir, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Leaked Name\n[alias]\n\tst = status\n');
    const saved = { HOME: process.env.HOME, GIT_DIR: process.env.GIT_DIR, LANG: process.env.LANG };
    Object.assign(process.env, { HOME: home, GIT_DIR: '/nonexistent', LANG: 'de_DE.UTF-8' });
    try {
      const res = await runGit(['config', '--list', '--show-origin'], { cwd: tmp.dir, signal: signal() });
      expect(res.stdout).not.toContain('Leaked');
      expect(res.stdout).toContain('command line:');
      expect(res.stdout).toContain('core.hookspath=/dev/null/baton-none');
      const err = await rejection(runGit(['st'], { cwd: tmp.dir, signal: signal() }));
      expect(err.stderrTail).toContain("'st' is not a git command");
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('commits with the explicit author and committer', async () => {
    git(tmp.dir, 'init', '--quiet', 'r');
    const cwd = join(tmp.dir, 'r');
    await runGit(['commit', '--allow-empty', '-q', '-m', 'x'], {
      cwd,
      signal: signal(),
      author: { name: 'Ada', email: 'ada@example.com' },
      committer: { name: 'Bot', email: 'bot@example.com' },
    });
    expect(git(cwd, 'log', '-1', '--format=%an <%ae> / %cn <%ce>')).toBe(
      'Ada <ada@example.com> / Bot <bot@example.com>',
    );
  });

  it('feeds stdin and accepts listed exit codes', async () => {
    const res = await runGit(['hash-object', '--stdin'], {
      cwd: tmp.dir,
      signal: signal(),
      input: 'hello\n',
    });
    expect(res.stdout.trim()).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    git(tmp.dir, 'init', '--quiet', 'r');
    const missing = await runGit(['rev-parse', '--verify', '--quiet', 'nope'], {
      cwd: join(tmp.dir, 'r'),
      signal: signal(),
      okExitCodes: [0, 1],
    });
    expect(missing.exitCode).toBe(1);
  });

  it('rejects a failure with a typed, non-retryable GitError', async () => {
    const err = await rejection(runGit(['rev-parse', 'HEAD'], { cwd: tmp.dir, signal: signal() }));
    expect(err).toMatchObject({ kind: 'exit', exitCode: 128, retryable: false, code: 'internal' });
    expect(err.command).toBe('git rev-parse HEAD');
    expect(err.stderrTail).toContain('not a git repository');
    expect(err.message).toContain(`in ${tmp.dir}`);
  });

  it('reports a missing git binary as a spawn failure with a fix', async () => {
    const err = await rejection(
      runGit(['status'], { cwd: tmp.dir, signal: signal(), gitBinary: join(tmp.dir, 'no-git') }),
    );
    expect(err.kind).toBe('spawn');
    expect(err.hint).toMatch(/install git/);
  });

  it('bounds stdout', async () => {
    const err = await rejection(
      runGit(['help', '-a'], { cwd: tmp.dir, signal: signal(), maxOutputBytes: 100 }),
    );
    expect(err).toMatchObject({ kind: 'output_too_large', code: 'output_too_large' });
  });

  /** A fetch whose "ssh" is a script that records its pid and sleeps: a git command that hangs. */
  function hangingFetch(extra: { timeoutMs?: number; signal: AbortSignal }) {
    const pidFile = join(tmp.dir, 'ssh.pid');
    const sshCommand = `sh -c 'echo $$ > ${pidFile}; exec sleep 600' #`;
    return {
      pidFile,
      run: runGit(['ls-remote', 'ssh://example.invalid/repo.git'], {
        cwd: tmp.dir,
        env: { GIT_SSH_COMMAND: sshCommand },
        ...extra,
      }),
    };
  }

  async function waitForPid(file: string): Promise<number> {
    for (let i = 0; i < 200; i++) {
      try {
        const pid = Number(readFileSync(file, 'utf8').trim());
        if (pid > 0) return pid;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the fake ssh never started');
  }

  it('kills the whole process group on abort', async () => {
    const ac = new AbortController();
    const { pidFile, run } = hangingFetch({ signal: ac.signal });
    const sshPid = await waitForPid(pidFile);
    expect(isProcessAlive(sshPid)).toBe(true);
    const t0 = performance.now();
    ac.abort(new Error('cancelled by user'));
    const err = await rejection(run);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(err).toMatchObject({ kind: 'aborted', code: 'cancelled', retryable: false });
    expect(err.message).toContain('cancelled by user');
    expect(isProcessAlive(sshPid)).toBe(false);
  });

  it('times out as a retryable error and leaves no process behind', async () => {
    const { pidFile, run } = hangingFetch({ signal: signal(), timeoutMs: 500 });
    const err = await rejection(run);
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    expect(isProcessAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('rejects at once when already aborted', async () => {
    const ac = new AbortController();
    ac.abort('shutdown');
    const err = await rejection(runGit(['status'], { cwd: tmp.dir, signal: ac.signal }));
    expect(err.message).toContain('shutdown');
  });

  it('sends credential headers only through the environment and redacts them', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(503).end('down');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}/acme/widgets.git`;
    try {
      const config = await credentialConfig(url, tokenCredentials('s3cr3t-token'), signal());
      const err = await rejection(runGit(['ls-remote', url], { cwd: tmp.dir, signal: signal(), config }));
      const expected = `Basic ${Buffer.from('x-access-token:s3cr3t-token').toString('base64')}`;
      expect(seen[0]?.authorization).toBe(expected);
      expect(err.retryable).toBe(true);
      expect(JSON.stringify(err.toJSON())).not.toContain(expected.slice(6));
      expect(err.message).not.toContain('s3cr3t');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
