import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBatonError } from '../../src/domain/errors.ts';
import { RepoMirror } from '../../src/forges/git/repoMirror.ts';
import { git, makeOrigin, tempDir, type Origin } from './gitFixture.ts';

let tmp: ReturnType<typeof tempDir>;
let origin: Origin;
let dataDir: string;
const signal = () => new AbortController().signal;

beforeEach(() => {
  tmp = tempDir();
  origin = makeOrigin(tmp.dir);
  dataDir = join(tmp.dir, 'data');
});
afterEach(() => tmp.cleanup());

describe('RepoMirror', () => {
  it('creates a bare mirror once, then fetches into the same directory', async () => {
    const mirrors = new RepoMirror({ dataDir });
    const first = await mirrors.ensure({ name: 'acme/widgets', url: origin.url }, signal());
    expect(first).toMatchObject({
      created: true,
      dir: join(dataDir, 'git', 'mirrors', 'acme%2Fwidgets.git'),
    });
    expect(git(first.dir, 'rev-parse', '--is-bare-repository')).toBe('true');
    expect(git(first.dir, 'rev-parse', 'refs/remotes/origin/main')).toBe(origin.rev('main'));
    const before = statSync(first.dir, { bigint: true });

    const third = origin.commit('third', { 'src/new.js': 'new\n' });
    const feature = origin.commit('feature work', { 'f.txt': 'f\n' }, 'feature/x');
    const second = await mirrors.ensure({ name: 'acme/widgets', url: origin.url }, signal());
    expect(second.created).toBe(false);
    const after = statSync(second.dir, { bigint: true });
    expect(after.ino).toBe(before.ino);
    expect(after.birthtimeNs).toBe(before.birthtimeNs);
    expect(git(second.dir, 'rev-parse', 'refs/remotes/origin/main')).toBe(third);
    expect(git(second.dir, 'rev-parse', 'refs/remotes/origin/feature/x')).toBe(feature);
    expect(git(second.dir, 'for-each-ref', '--format=%(refname)', 'refs/heads')).toBe('');
  });

  it('prunes branches deleted on the remote and follows a changed URL', async () => {
    const mirrors = new RepoMirror({ dataDir });
    origin.commit('gone soon', { 'g.txt': 'g\n' }, 'doomed');
    const m = await mirrors.ensure({ name: 'r', url: origin.url }, signal());
    expect(git(m.dir, 'for-each-ref', '--format=%(refname)', 'refs/remotes')).toContain(
      'refs/remotes/origin/doomed',
    );
    git(tmp.dir, '--git-dir', origin.url, 'branch', '-D', 'doomed');
    const moved = join(tmp.dir, 'moved.git');
    git(tmp.dir, 'clone', '--bare', '--quiet', origin.url, moved);
    await mirrors.ensure({ name: 'r', url: moved }, signal());
    expect(git(m.dir, 'config', 'remote.origin.url')).toBe(moved);
    expect(git(m.dir, 'for-each-ref', '--format=%(refname)', 'refs/remotes')).not.toContain('doomed');
  });

  it('shares one in-flight fetch between concurrent callers', async () => {
    const mirrors = new RepoMirror({ dataDir });
    await mirrors.ensure({ name: 'r', url: origin.url }, signal());
    const repo = { name: 'r', url: origin.url };
    const calls = [
      mirrors.ensure(repo, signal()),
      mirrors.ensure(repo, signal()),
      mirrors.ensure(repo, signal()),
    ];
    expect(mirrors.isFetching('r')).toBe(true);
    const [a, b, c] = await Promise.all(calls);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(mirrors.isFetching('r')).toBe(false);
    const d = await mirrors.ensure(repo, signal());
    expect(d).not.toBe(a);
  });

  it('a caller that aborts leaves the shared fetch to the others', async () => {
    const mirrors = new RepoMirror({ dataDir });
    const repo = { name: 'r', url: origin.url };
    const ac = new AbortController();
    const quitter = mirrors.ensure(repo, ac.signal);
    const stayer = mirrors.ensure(repo, signal());
    ac.abort(new Error('step cancelled'));
    await expect(quitter).rejects.toThrow('step cancelled');
    await expect(stayer).resolves.toMatchObject({ created: true });
  });

  it('never leaves a half-created mirror behind', async () => {
    const mirrors = new RepoMirror({ dataDir });
    await expect(
      mirrors.ensure({ name: 'r', url: join(tmp.dir, 'missing.git') }, signal()),
    ).rejects.toMatchObject({
      name: 'GitError',
      kind: 'exit',
    });
    expect(existsSync(mirrors.dirFor('r'))).toBe(false);
    const m = await mirrors.ensure({ name: 'r', url: origin.url }, signal());
    expect(m.created).toBe(true);
  });

  it('takes over a lock left by a dead process', async () => {
    const mirrors = new RepoMirror({ dataDir });
    await mirrors.ensure({ name: 'r', url: origin.url }, signal());
    const lock = join(dataDir, 'git', 'mirrors', 'r.lock');
    writeFileSync(
      lock,
      JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), at: '2020-01-01T00:00:00Z', nonce: 'x' }),
    );
    await expect(mirrors.ensure({ name: 'r', url: origin.url }, signal())).resolves.toMatchObject({
      created: false,
    });
    expect(existsSync(lock)).toBe(false);
  });

  it('waits for a live process holding the lock, then fails naming it', async () => {
    const mirrors = new RepoMirror({ dataDir, lockWaitMs: 300 });
    await mirrors.ensure({ name: 'r', url: origin.url }, signal());
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const lock = join(dataDir, 'git', 'mirrors', 'r.lock');
      writeFileSync(
        lock,
        JSON.stringify({ pid: holder.pid, host: hostname(), at: new Date().toISOString(), nonce: 'y' }),
      );
      const err = await mirrors.ensure({ name: 'r', url: origin.url }, signal()).catch((e: unknown) => e);
      expect(isBatonError(err, 'conflict')).toBe(true);
      expect((err as Error).message).toContain(`pid ${holder.pid}`);
      expect(existsSync(lock)).toBe(true);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('rejects a URL with an embedded password', async () => {
    const mirrors = new RepoMirror({ dataDir });
    const err = await mirrors
      .ensure({ name: 'r', url: 'https://x-access-token:secret@example.invalid/a/b.git' }, signal())
      .catch((e: unknown) => e);
    expect(isBatonError(err, 'invalid_input')).toBe(true);
    expect((err as Error).message).not.toContain('secret');
  });
});
