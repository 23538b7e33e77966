import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitAll, commitAndPush, pushBranch } from '../../src/forges/git/commitAndPush.ts';
import { GitError } from '../../src/forges/git/GitError.ts';
import { NO_GIT_CREDENTIALS } from '../../src/forges/git/GitCredentials.ts';
import { RepoMirror } from '../../src/forges/git/repoMirror.ts';
import { Worktrees, type Worktree } from '../../src/forges/git/worktrees.ts';
import { git, makeOrigin, tempDir, writeFiles, type Origin } from './gitFixture.ts';

let tmp: ReturnType<typeof tempDir>;
let origin: Origin;
let mirrors: RepoMirror;
let wt: Worktree;
const signal = () => new AbortController().signal;
const author = { name: 'Agent Smith', email: 'agent@example.com' };
const BRANCH = 'run/r1-add-feature';

beforeEach(async () => {
  tmp = tempDir();
  origin = makeOrigin(tmp.dir);
  const dataDir = join(tmp.dir, 'data');
  mirrors = new RepoMirror({ dataDir });
  const mirror = await mirrors.ensure({ name: 'r', url: origin.url }, signal());
  wt = await new Worktrees({ dataDir }).create({
    mirrorDir: mirror.dir,
    run: 'r1',
    key: 'code',
    branch: BRANCH,
    base: 'main',
    owner: 'step',
    signal: signal(),
  });
});
afterEach(() => tmp.cleanup());

const push = (over: { forceWithLease?: boolean } = {}) =>
  pushBranch({ worktree: wt, branch: BRANCH, credentials: NO_GIT_CREDENTIALS, signal: signal(), ...over });

describe('commitAll and pushBranch', () => {
  it('commits everything host-side and the push lands on origin and in the mirror', async () => {
    writeFiles(wt.path, { 'src/feature.js': 'export {};\n', 'src/app.js': 'console.log(3);\n' });
    const sha = await commitAll({
      worktree: wt,
      message: '## Add the feature\n\nDetails of the change.\n',
      author,
      signal: signal(),
    });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(origin.rev(BRANCH)).toBeNull();
    const pushed = await push();
    expect(pushed).toEqual({ sha, ref: `refs/heads/${BRANCH}`, previous: null, created: true });
    expect(git(tmp.dir, '--git-dir', origin.url, 'rev-parse', `refs/heads/${BRANCH}`)).toBe(sha);
    expect(git(wt.mirrorDir, 'rev-parse', `refs/remotes/origin/${BRANCH}`)).toBe(sha);
    expect(git(wt.path, 'log', '-1', '--format=%an <%ae>|%cn|%B')).toBe(
      'Agent Smith <agent@example.com>|Baton|Add the feature\n\nDetails of the change.',
    );
    expect(git(wt.path, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'src/app.js',
      'src/feature.js',
    ]);
  });

  it('returns null when there is nothing to commit, ignoring gitignored files', async () => {
    expect(await commitAll({ worktree: wt, message: 'x', author, signal: signal() })).toBeNull();
    writeFiles(wt.path, { '.env': 'SECRET=1\n', 'debug.log': 'x\n' });
    expect(await commitAll({ worktree: wt, message: 'x', author, signal: signal() })).toBeNull();
  });

  it('pushes commits the agent made itself', async () => {
    writeFiles(wt.path, { 'agent.txt': 'by the agent\n' });
    git(wt.path, 'add', '-A');
    git(wt.path, 'commit', '-q', '-m', 'agent commit');
    const result = await commitAndPush({
      worktree: wt,
      message: 'unused',
      author,
      branch: BRANCH,
      credentials: NO_GIT_CREDENTIALS,
      signal: signal(),
    });
    expect(result.commit).toBeNull();
    expect(origin.rev(BRANCH)).toBe(git(wt.path, 'rev-parse', 'HEAD'));
  });

  it('uses Baton’s own records: a rewritten .git file and planted hooks change nothing', async () => {
    const hooks = join(wt.mirrorDir, 'hooks');
    mkdirSync(hooks, { recursive: true });
    writeFileSync(join(hooks, 'pre-commit'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(hooks, 'pre-commit'), 0o755);
    const evil = join(tmp.dir, 'evil.git');
    git(tmp.dir, 'init', '--bare', '--quiet', evil);
    writeFileSync(join(wt.path, '.git'), `gitdir: ${evil}\n`);
    writeFiles(wt.path, { 'x.txt': 'x\n' });
    const sha = await commitAll({ worktree: wt, message: 'safe', author, signal: signal() });
    expect(git(wt.mirrorDir, 'rev-parse', `refs/heads/${BRANCH}`)).toBe(sha);
    expect(git(tmp.dir, '--git-dir', evil, 'rev-list', '--all')).toBe('');
  });

  it('rejects a push over a moved branch unless leased on a fresh mirror', async () => {
    writeFiles(wt.path, { 'ours.txt': 'ours\n' });
    await commitAll({ worktree: wt, message: 'ours', author, signal: signal() });
    const theirs = origin.commit('theirs', { 'theirs.txt': 'theirs\n' }, BRANCH);

    const plain = await push().then(
      () => null,
      (e: unknown) => e,
    );
    expect(plain).toBeInstanceOf(GitError);
    expect((plain as GitError).retryable).toBe(false);
    expect((plain as GitError).hint).toMatch(/remote branch moved/);

    // The mirror never saw "theirs": the lease expects no branch, so it refuses too.
    await expect(push({ forceWithLease: true })).rejects.toMatchObject({ name: 'GitError' });
    expect(origin.rev(BRANCH)).toBe(theirs);

    await mirrors.ensure({ name: 'r', url: origin.url }, signal());
    const forced = await push({ forceWithLease: true });
    expect(forced.previous).toBe(theirs);
    expect(origin.rev(BRANCH)).toBe(forced.sha);
  });
});
