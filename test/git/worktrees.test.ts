import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBatonError } from '../../src/domain/errors.ts';
import { RepoMirror } from '../../src/forges/git/repoMirror.ts';
import { Worktrees, type CreateWorktreeInput } from '../../src/forges/git/worktrees.ts';
import { git, makeOrigin, tempDir, writeFiles, type Origin } from './gitFixture.ts';

let tmp: ReturnType<typeof tempDir>;
let origin: Origin;
let dataDir: string;
let mirrorDir: string;
let worktrees: Worktrees;
const signal = () => new AbortController().signal;
const DEAD_PID = 2 ** 22 + 99;

beforeEach(async () => {
  tmp = tempDir();
  origin = makeOrigin(tmp.dir);
  origin.commit('feature', { 'feature.txt': 'feature\n' }, 'feature/x');
  dataDir = join(tmp.dir, 'data');
  mirrorDir = (await new RepoMirror({ dataDir }).ensure({ name: 'acme/widgets', url: origin.url }, signal()))
    .dir;
  worktrees = new Worktrees({ dataDir });
});
afterEach(() => tmp.cleanup());

function input(over: Partial<CreateWorktreeInput> = {}): CreateWorktreeInput {
  return {
    mirrorDir,
    run: 'run1',
    key: 'code',
    branch: 'run/run1-demo',
    base: 'main',
    owner: 'step-a',
    signal: signal(),
    ...over,
  };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

describe('Worktrees', () => {
  it('creates worktrees on a new branch from a base and on an existing remote branch', async () => {
    const a = await worktrees.create(input());
    const b = await worktrees.create(
      input({ key: 'review', branch: 'feature/x', base: undefined, owner: 'step-b' }),
    );
    expect(a).toMatchObject({
      path: join(dataDir, 'git', 'worktrees', 'run1', 'code'),
      created: true,
      branch: 'run/run1-demo',
      head: origin.rev('main'),
    });
    expect(b).toMatchObject({ created: true, branch: 'feature/x', head: origin.rev('feature/x') });
    expect(git(a.path, 'symbolic-ref', '--short', 'HEAD')).toBe('run/run1-demo');
    expect(git(b.path, 'symbolic-ref', '--short', 'HEAD')).toBe('feature/x');
    expect(readFileSync(join(b.path, 'feature.txt'), 'utf8')).toBe('feature\n');
    expect(existsSync(join(a.path, 'feature.txt'))).toBe(false);
    const porcelain = git(mirrorDir, 'worktree', 'list', '--porcelain');
    expect(porcelain).toContain(`worktree ${a.path}`);
    expect(porcelain).toMatch(/locked .*step-a/);
    expect(git(mirrorDir, 'config', '--list')).not.toMatch(/^branch\./m); // --no-track
  });

  it('starts from a sha and explains a missing base', async () => {
    const first = git(origin.seed, 'rev-parse', 'main~1');
    const wt = await worktrees.create(input({ base: first }));
    expect(wt.head).toBe(first);
    const err = await failure(
      worktrees.create(input({ key: 'k2', branch: 'run/x', base: 'no-such-branch' })),
    );
    expect(isBatonError(err, 'not_found')).toBe(true);
    expect(err.message).toContain('no-such-branch');
    const noBase = await failure(worktrees.create(input({ key: 'k3', branch: 'run/y', base: undefined })));
    expect(isBatonError(noBase, 'invalid_input')).toBe(true);
    const badName = await failure(worktrees.create(input({ key: 'k4', branch: 'run/bad..name' })));
    expect(isBatonError(badName, 'invalid_input')).toBe(true);
    const badKey = await failure(worktrees.create(input({ key: '../escape' })));
    expect(isBatonError(badKey, 'invalid_input')).toBe(true);
  });

  it('copies .worktreeinclude files that are gitignored in the source checkout, and nothing else', async () => {
    origin.commit('include list', {
      '.worktreeinclude': '# local config\n.env\nsecrets/\nnotes-listed.txt\n',
    });
    await new RepoMirror({ dataDir }).ensure({ name: 'acme/widgets', url: origin.url }, signal());
    git(origin.seed, 'pull', '--quiet', '--ff-only', 'origin', 'main');
    writeFiles(origin.seed, {
      '.env': 'TOKEN=dev\n',
      'secrets/api.key': 'k\n',
      'debug.log': 'ignored but not listed\n',
      'notes.txt': 'untracked, not listed\n',
      'notes-listed.txt': 'listed but not ignored\n',
    });
    const wt = await worktrees.create(input({ includeFrom: origin.seed }));
    expect(wt.included).toEqual(['.env', 'secrets/api.key']);
    expect(readFileSync(join(wt.path, '.env'), 'utf8')).toBe('TOKEN=dev\n');
    expect(readFileSync(join(wt.path, 'secrets/api.key'), 'utf8')).toBe('k\n');
    for (const absent of ['debug.log', 'notes.txt', 'notes-listed.txt']) {
      expect(existsSync(join(wt.path, absent))).toBe(false);
    }
    expect(git(wt.path, 'status', '--porcelain')).toBe('');
  });

  it('refuses another owner, naming the holder; the same owner reacquires after a crash', async () => {
    const wt = await worktrees.create(input());
    const taken = await failure(worktrees.create(input({ owner: 'step-b' })));
    expect(isBatonError(taken, 'conflict')).toBe(true);
    expect(taken.message).toContain('"step-a"');
    expect(taken.message).toContain(`pid ${process.pid}`);

    const again = await worktrees.create(input());
    expect(again).toMatchObject({ created: false, path: wt.path, head: wt.head });

    const lockFile = join(wt.adminDir, 'locked');
    const crashed = { owner: 'step-a', pid: DEAD_PID, host: hostname(), at: '2024-01-01T00:00:00Z' };
    writeFileSync(lockFile, JSON.stringify(crashed));
    expect((await worktrees.create(input())).created).toBe(false);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ owner: 'step-a', pid: process.pid });

    writeFileSync(lockFile, JSON.stringify({ ...crashed, owner: 'step-z' }));
    const stillTheirs = await failure(worktrees.create(input()));
    expect(stillTheirs.message).toContain('"step-z"');

    writeFileSync(lockFile, JSON.stringify({ ...crashed, pid: 1, host: hostname() }));
    const liveTwin = await failure(worktrees.create(input()));
    expect(liveTwin.message).toContain('another live process');

    await worktrees.release(wt, 'step-x', { force: true });
    const b = await worktrees.create(input({ owner: 'step-b' }));
    expect(b.owner).toBe('step-b');
    await expect(worktrees.release(b, 'step-a')).rejects.toThrow('"step-b"');
    await worktrees.release(b, 'step-b');
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses a worktree on another branch, a branch held elsewhere, and a foreign directory', async () => {
    await worktrees.create(input());
    const other = await failure(worktrees.create(input({ branch: 'run/other' })));
    expect(isBatonError(other, 'conflict')).toBe(true);
    expect(other.message).toContain('"run/run1-demo"');

    const twice = await failure(worktrees.create(input({ key: 'second' })));
    expect(twice.name).toBe('GitError');
    expect((twice as Error & { hint?: string }).hint).toContain('another worktree holds this branch');

    mkdirSync(join(dataDir, 'git', 'worktrees', 'run1', 'junk'), { recursive: true });
    writeFileSync(join(dataDir, 'git', 'worktrees', 'run1', 'junk', 'file'), 'x');
    const foreign = await failure(worktrees.create(input({ key: 'junk', branch: 'run/j' })));
    expect(foreign.message).toContain('is not a worktree of');
  });

  it('lists, releases and removes', async () => {
    const a = await worktrees.create(input());
    const b = await worktrees.create(
      input({ run: 'run2', key: 'code', branch: 'run/run2-x', owner: 'step-c' }),
    );
    await worktrees.release(a, 'step-a');
    const listed = await worktrees.list();
    expect(listed.map((w) => [w.run, w.key, w.branch, w.lock?.owner ?? null])).toEqual([
      ['run1', 'code', 'run/run1-demo', null],
      ['run2', 'code', 'run/run2-x', 'step-c'],
    ]);
    expect(listed[0]?.meta?.releasedAt).toBeDefined();

    await worktrees.remove(b, signal(), { deleteBranch: b.branch });
    expect(existsSync(b.path)).toBe(false);
    expect(existsSync(join(dataDir, 'git', 'worktrees', 'run2'))).toBe(false);
    expect(git(mirrorDir, 'worktree', 'list', '--porcelain')).not.toContain(b.path);
    expect(git(mirrorDir, 'branch', '--list', 'run/run2-x')).toBe('');
    expect((await worktrees.list()).map((w) => w.run)).toEqual(['run1']);
  });

  it('checks out an existing local branch again after its worktree was removed', async () => {
    const a = await worktrees.create(input());
    writeFiles(a.path, { 'local.txt': 'unpushed\n' });
    git(a.path, 'add', '-A');
    git(a.path, 'commit', '-q', '-m', 'local only');
    const local = git(a.path, 'rev-parse', 'HEAD');
    await worktrees.remove(a, signal());
    const again = await worktrees.create(input({ key: 'retry', base: undefined }));
    expect(again).toMatchObject({ created: true, head: local, branch: 'run/run1-demo' });
  });

  it('cleanup removes old, unkept, unheld worktrees and orphans, then prunes', async () => {
    const old = await worktrees.create(input({ run: 'old' }));
    await worktrees.release(old, 'step-a');
    const crashed = await worktrees.create(input({ run: 'crashed', branch: 'run/c' }));
    writeFileSync(
      join(crashed.adminDir, 'locked'),
      JSON.stringify({ owner: 'step-a', pid: DEAD_PID, host: hostname(), at: '2024-01-01T00:00:00Z' }),
    );
    const kept = await worktrees.create(input({ run: 'kept', branch: 'run/k' }));
    await worktrees.release(kept, 'step-a');
    const busy = await worktrees.create(input({ run: 'busy', branch: 'run/b' }));
    const fresh = await worktrees.create(input({ run: 'fresh', branch: 'run/f' }));
    await worktrees.release(fresh, 'step-a');
    const orphan = join(dataDir, 'git', 'worktrees', 'orphan', 'code');
    mkdirSync(orphan, { recursive: true });

    const result = await worktrees.cleanup({
      olderThanMs: 60 * 60_000,
      keep: (run) => run === 'kept',
      signal: signal(),
      now: Date.now() + 2 * 60 * 60_000,
    });
    expect(result.removed.sort()).toEqual([crashed.path, old.path, fresh.path, orphan].sort());
    expect(result.inUse).toEqual([busy.path]);
    for (const gone of [old, crashed, fresh]) {
      expect(existsSync(gone.path)).toBe(false);
      expect(existsSync(gone.adminDir)).toBe(false);
    }
    expect(existsSync(kept.path)).toBe(true);
    expect(existsSync(busy.path)).toBe(true);

    const none = await worktrees.cleanup({ olderThanMs: 60 * 60_000, keep: () => false, signal: signal() });
    expect(none.removed).toEqual([]);
  });
});
