import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isBatonError, type BatonError } from '../../src/domain/errors.ts';
import type { LocalForge } from '../../src/forges/local/localForgeTypes.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { git, makeOrigin, tempDir, type Origin } from '../git/gitFixture.ts';
import { openForgeDb, recordingForge, signal, type EmittedEvent, type ForgeDb } from './localForgeFixture.ts';

async function rejection(p: Promise<unknown>): Promise<BatonError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isBatonError(e)) throw new Error(`expected a BatonError, got ${String(e)}`);
  return e;
}

const parents = (repo: string, rev: string) =>
  git(repo, 'rev-list', '--parents', '-n', '1', rev).split(' ').slice(1);
const show = (repo: string, rev: string, path: string) => git(repo, 'show', `${rev}:${path}`);

describe.each(DIALECTS)('the local forge on %s', (dialect) => {
  let fdb: ForgeDb;
  let tmp: ReturnType<typeof tempDir>;
  let origin: Origin;
  let repo: string;
  let forge: LocalForge;
  let events: EmittedEvent[];
  let types: () => string[];

  beforeAll(async () => {
    fdb = await openForgeDb(dialect);
  });
  afterAll(async () => fdb.close());
  beforeEach(() => {
    tmp = tempDir('baton-local-forge-');
    origin = makeOrigin(tmp.dir);
    repo = origin.url;
    ({ forge, events, types } = recordingForge(fdb.store, { tmpDir: tmp.dir }));
  });
  afterEach(() => tmp.cleanup());

  const open = (head: string, key = `open-${head}`, extra: { title?: string; body?: string } = {}) =>
    forge.openPullRequest(
      repo,
      {
        head,
        base: 'main',
        title: extra.title ?? `Add ${head}`,
        body: extra.body ?? 'the body',
        draft: false,
        idempotencyKey: key,
      },
      signal(),
    );

  it('opens a pull request once per idempotency key, and one open per head → base', async () => {
    const sha = origin.commit('feature a', { 'a.txt': 'a\n' }, 'feature/a');
    const pr = await open('feature/a', 'step-1');
    expect(pr).toMatchObject({
      number: 1,
      url: 'baton://origin/pulls/1',
      head: 'feature/a',
      base: 'main',
      headSha: sha,
      state: 'open',
      draft: false,
      mergeSha: null,
      body: 'the body',
    });
    expect(await open('feature/a', 'step-1')).toEqual(pr);
    expect(types()).toEqual(['pr.opened']);
    expect(events[0]!.payload).toMatchObject({
      forge: 'local',
      repository: repo,
      number: 1,
      url: pr.url,
      head: 'feature/a',
      base: 'main',
      head_sha: sha,
    });
    expect(events[0]!.payload.deliveryId).toMatch(/^local-forge:\d+$/);

    const dup = await rejection(open('feature/a', 'step-2'));
    expect(dup.code).toBe('conflict');
    expect(dup.message).toContain('#1');
    const mismatch = await rejection(
      forge.openPullRequest(
        repo,
        { head: 'feature/b', base: 'main', title: 't', body: '', draft: false, idempotencyKey: 'step-1' },
        signal(),
      ),
    );
    expect(mismatch.code).toBe('idempotency_mismatch');

    const missing = await rejection(
      forge.openPullRequest(
        repo,
        { head: 'nope', base: 'gone', title: 't', body: '', draft: false, idempotencyKey: 'k' },
        signal(),
      ),
    );
    expect(missing.code).toBe('invalid_input');
    expect(missing.message).toContain('head branch "nope" and base branch "gone" do not exist');
    const missingBase = await rejection(
      forge.openPullRequest(
        repo,
        { head: 'feature/a', base: 'gone', title: 't', body: '', draft: false, idempotencyKey: 'k' },
        signal(),
      ),
    );
    expect(missingBase.message).toContain('base branch "gone" does not exist');

    expect(await forge.findPullRequest(repo, { head: 'feature/a' }, signal())).toEqual(pr);
    expect(await forge.findPullRequest(repo, { head: 'feature/a', base: 'other' }, signal())).toBeNull();
    expect(await forge.findPullRequest(repo, { head: 'x', idempotencyKey: 'step-1' }, signal())).toEqual(pr);
    expect(await forge.findPullRequest(`file://${repo}`, { head: 'feature/a' }, signal())).toEqual(pr);

    origin.commit('feature b', { 'b.txt': 'b\n' }, 'feature/b');
    expect((await open('feature/b')).number).toBe(2);
    expect(await forge.remote(repo, signal())).toMatchObject({ url: repo });
    expect(await forge.defaultBranch(repo, signal())).toBe('main');
    const notBare = await rejection(forge.getPullRequest(origin.seed, 1, signal()));
    expect(notBare.code).toBe('invalid_input');
    expect((await rejection(forge.getPullRequest(repo, 99, signal()))).code).toBe('not_found');
  });

  it('posts comments once per key and edits a progress comment in place', async () => {
    origin.commit('feature a', { 'a.txt': 'a\n' }, 'feature/a');
    const pr = await open('feature/a');
    const first = await forge.comment(repo, pr.number, { body: 'hello', idempotencyKey: 'c1' }, signal());
    expect(first).toMatchObject({ created: true, url: `${pr.url}#comment-${first.id}` });
    expect(
      await forge.comment(repo, pr.number, { body: 'hello again', idempotencyKey: 'c1' }, signal()),
    ).toEqual({
      ...first,
      created: false,
    });
    const progress = await forge.comment(
      repo,
      pr.number,
      { body: 'step 1/3', idempotencyKey: 'p-1', progressKey: 'progress' },
      signal(),
    );
    expect(progress.created).toBe(true);
    const edited = await forge.comment(
      repo,
      pr.number,
      { body: 'step 2/3', idempotencyKey: 'p-2', progressKey: 'progress' },
      signal(),
    );
    expect(edited).toEqual({ ...progress, created: false });
    const comments = await forge.listComments(repo, pr.number, signal());
    expect(comments.map((c) => [c.id, c.body])).toEqual([
      [first.id, 'hello'],
      [progress.id, 'step 2/3'],
    ]);
    expect(types()).toEqual(['pr.opened', 'pr.commented', 'pr.commented']);
  });

  it('records reviews with the head they apply to, and requested reviewers', async () => {
    const sha = origin.commit('feature a', { 'a.txt': 'a\n' }, 'feature/a');
    const pr = await open('feature/a');
    const inline = [{ path: 'a.txt', line: 1, body: 'say more' }];
    const changes = await forge.submitReview(
      repo,
      pr.number,
      { verdict: 'changes_requested', body: 'not yet', comments: inline, idempotencyKey: 'r1' },
      signal(),
    );
    expect(changes).toMatchObject({
      verdict: 'changes_requested',
      author: 'baton',
      commitSha: sha,
      comments: inline,
    });
    const fixed = origin.commit('fix', { 'a.txt': 'a, said more\n' }, 'feature/a');
    const approve = await forge.submitReview(
      repo,
      pr.number,
      { verdict: 'approve', body: 'lgtm', comments: [], idempotencyKey: 'r2' },
      signal(),
    );
    expect(approve.commitSha).toBe(fixed);
    const again = await forge.submitReview(
      repo,
      pr.number,
      { verdict: 'approve', body: 'lgtm', comments: [], idempotencyKey: 'r2' },
      signal(),
    );
    expect(again).toEqual(approve);
    const reviews = await forge.listReviews(repo, pr.number, signal());
    expect(reviews.map((r) => [r.verdict, r.body, r.commitSha])).toEqual([
      ['changes_requested', 'not yet', sha],
      ['approve', 'lgtm', fixed],
    ]);
    expect(reviews[0]!.comments).toEqual(inline);
    expect(types()).toEqual([
      'pr.opened',
      'pr.review_submitted',
      'pr.changes_requested',
      'pr.synchronized',
      'pr.review_submitted',
      'pr.approved',
    ]);
    expect(events.find((e) => e.type === 'pr.approved')!.payload).toMatchObject({
      verdict: 'approve',
      number: pr.number,
      url: pr.url,
      repository: repo,
    });

    await forge.requestReviewers(repo, pr.number, ['ana', 'bo', 'ana'], signal());
    await forge.requestReviewers(repo, pr.number, ['bo'], signal());
    expect(await forge.requestedReviewers(repo, pr.number, signal())).toEqual(['ana', 'bo']);
    expect(types().filter((t) => t === 'pr.review_requested')).toHaveLength(1);
    const bad = await rejection(
      forge.submitReview(
        repo,
        pr.number,
        { verdict: 'meh' as 'approve', body: '', comments: [], idempotencyKey: 'r3' },
        signal(),
      ),
    );
    expect(bad.code).toBe('invalid_input');
  });

  it('combines commit statuses and emits checks.completed when they leave pending', async () => {
    const sha = origin.commit('feature a', { 'a.txt': 'a\n' }, 'feature/a');
    const pr = await open('feature/a');
    expect(await forge.ciState(repo, sha, signal())).toEqual({ state: 'pending', checks: [], sha });
    await forge.setStatus(repo, sha, { context: 'ci', state: 'pending' }, signal());
    await forge.setStatus(repo, sha, { context: 'lint', state: 'success' }, signal());
    expect((await forge.ciState(repo, 'feature/a', signal())).state).toBe('pending');
    await forge.setStatus(
      repo,
      sha.slice(0, 12),
      { context: 'ci', state: 'success', description: 'ok' },
      signal(),
    );
    expect(await forge.ciState(repo, sha, signal())).toEqual({
      state: 'success',
      checks: [
        { name: 'ci', state: 'success' },
        { name: 'lint', state: 'success' },
      ],
      sha,
    });
    await forge.setStatus(repo, sha, { context: 'lint', state: 'error' }, signal());
    expect((await forge.ciState(repo, sha, signal())).state).toBe('failure');
    await forge.setStatus(repo, sha, { context: 'lint', state: 'pending' }, signal());
    await forge.setStatus(repo, sha, { context: 'lint', state: 'failure' }, signal());
    const checks = events.filter((e) => e.type === 'checks.completed');
    expect(checks.map((e) => e.payload.state)).toEqual(['success', 'failure']);
    expect(checks[0]!.payload).toMatchObject({
      sha,
      number: pr.number,
      numbers: [pr.number],
      url: pr.url,
      repository: repo,
    });

    const unknown = await rejection(
      forge.setStatus(repo, 'deadbeef', { context: 'ci', state: 'success' }, signal()),
    );
    expect(unknown.code).toBe('invalid_input');
    expect((await rejection(forge.ciState(repo, 'no-such-branch', signal()))).code).toBe('not_found');
  });

  it('reports conflicts, and refuses to merge them', async () => {
    origin.commit('feature a', { 'a.txt': 'a\n' }, 'feature/a');
    origin.commit('conflict', { 'src/app.js': 'console.log("branch");\n', 'b.txt': 'b\n' }, 'feature/c');
    const clean = await open('feature/a');
    const conflicting = await open('feature/c');
    origin.commit('main moves', { 'src/app.js': 'console.log("main");\n' });
    expect(await forge.mergeability(repo, clean.number, signal())).toEqual({
      mergeable: true,
      conflicts: [],
    });
    expect(await forge.mergeability(repo, conflicting.number, signal())).toEqual({
      mergeable: false,
      conflicts: ['src/app.js'],
    });
    const before = origin.rev('main');
    for (const method of ['merge', 'squash', 'rebase'] as const) {
      const e = await rejection(
        forge.merge(repo, conflicting.number, { method, idempotencyKey: `m-${method}` }, signal()),
      );
      expect(e.code).toBe('conflict');
      expect(e.message).toContain('src/app.js');
      expect(e.details).toEqual({ conflicts: ['src/app.js'] });
    }
    expect(origin.rev('main')).toBe(before);
    expect((await forge.getPullRequest(repo, conflicting.number, signal())).state).toBe('open');
    expect(
      git(repo, 'worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree ')),
    ).toHaveLength(1);
  });

  it('merges with a merge commit, idempotently', async () => {
    const head = origin.commit('feature a', { 'a.txt': 'a\n' }, 'feature/a');
    const pr = await open('feature/a');
    const oldMain = origin.rev('main')!;
    const res = await forge.merge(
      repo,
      pr.number,
      { method: 'merge', sha: head, idempotencyKey: 'm1' },
      signal(),
    );
    expect(res.merged).toBe(true);
    expect(origin.rev('main')).toBe(res.sha);
    expect(parents(repo, res.sha)).toEqual([oldMain, head]);
    expect(git(repo, 'log', '-1', '--format=%B', res.sha)).toBe(
      'Merge pull request #1 from feature/a\n\nAdd feature/a',
    );
    expect(git(repo, 'log', '-1', '--format=%cn <%ce>', res.sha)).toBe('Baton <baton@localhost>');

    expect(await forge.merge(repo, pr.number, { method: 'merge', idempotencyKey: 'm1' }, signal())).toEqual({
      sha: res.sha,
      merged: false,
    });
    expect(
      (await rejection(forge.merge(repo, pr.number, { method: 'merge', idempotencyKey: 'm2' }, signal())))
        .code,
    ).toBe('invalid_state');
    expect(await forge.getPullRequest(repo, pr.number, signal())).toMatchObject({
      state: 'merged',
      mergeSha: res.sha,
    });
    const merged = events.filter((e) => e.type === 'pr.merged');
    expect(merged).toHaveLength(1);
    expect(merged[0]!.payload).toMatchObject({
      repository: repo,
      number: pr.number,
      url: pr.url,
      sha: res.sha,
      base: 'main',
      head: 'feature/a',
    });
    // the diff of a merged pull request is still what it changed
    const diff = await forge.diff(repo, pr.number, signal());
    expect(diff.files).toEqual([{ path: 'a.txt', additions: 1, deletions: 0 }]);
    // a merged pull request no longer blocks a new one of the same head
    origin.commit('more', { 'a2.txt': 'x\n' }, 'feature/a');
    expect((await open('feature/a', 'again')).number).toBe(2);
  });

  it('squashes into one commit with the combined change', async () => {
    origin.commit('one', { 'a.txt': 'a\n' }, 'feature/s');
    origin.commit('two', { 'a.txt': 'a2\n', 'b.txt': 'b\n' }, 'feature/s');
    const pr = await open('feature/s', 'open-s', { title: 'Squash me', body: 'why' });
    origin.commit('main moves', { 'm.txt': 'm\n' });
    const oldMain = origin.rev('main')!;
    const res = await forge.merge(repo, pr.number, { method: 'squash', idempotencyKey: 'sq' }, signal());
    expect(parents(repo, res.sha)).toEqual([oldMain]);
    expect(origin.rev('main')).toBe(res.sha);
    expect(git(repo, 'log', '-1', '--format=%B', res.sha)).toBe('Squash me (#1)\n\nwhy');
    expect([show(repo, 'main', 'a.txt'), show(repo, 'main', 'b.txt'), show(repo, 'main', 'm.txt')]).toEqual([
      'a2',
      'b',
      'm',
    ]);
    expect(git(repo, 'diff', '--name-only', oldMain, res.sha).split('\n')).toEqual(['a.txt', 'b.txt']);

    origin.commit('three', { 'c.txt': 'c\n' }, 'feature/t');
    const custom = await open('feature/t');
    const res2 = await forge.merge(
      repo,
      custom.number,
      { method: 'squash', message: 'Custom title\n\nbody', idempotencyKey: 'sq2' },
      signal(),
    );
    expect(git(repo, 'log', '-1', '--format=%B', res2.sha)).toBe('Custom title\n\nbody');
  });

  it('rebases the head commits onto the base (linear history)', async () => {
    const one = origin.commit('one', { 'a.txt': 'a\n' }, 'feature/r');
    origin.commit('two', { 'b.txt': 'b\n' }, 'feature/r');
    const pr = await open('feature/r');
    origin.commit('main moves', { 'm.txt': 'm\n' });
    const oldMain = origin.rev('main')!;
    const res = await forge.merge(repo, pr.number, { method: 'rebase', idempotencyKey: 'rb' }, signal());
    expect(origin.rev('main')).toBe(res.sha);
    const replayed = git(repo, 'rev-list', '--parents', `${oldMain}..${res.sha}`).split('\n');
    expect(replayed).toHaveLength(2);
    for (const line of replayed) expect(line.split(' ')).toHaveLength(2); // one parent each
    expect(git(repo, 'log', '--format=%s', `${oldMain}..${res.sha}`).split('\n')).toEqual(['two', 'one']);
    expect(git(repo, 'rev-list', `${oldMain}..${res.sha}`).split('\n')).not.toContain(one);
    expect([show(repo, 'main', 'a.txt'), show(repo, 'main', 'm.txt')]).toEqual(['a', 'm']);
    expect(await forge.merge(repo, pr.number, { method: 'rebase', idempotencyKey: 'rb' }, signal())).toEqual({
      sha: res.sha,
      merged: false,
    });

    // base already an ancestor of head: the base fast-forwards to head
    git(origin.seed, 'fetch', '--quiet', 'origin');
    git(origin.seed, 'reset', '--quiet', '--hard', 'origin/main');
    const ff = origin.commit('ff', { 'f.txt': 'f\n' }, 'feature/ff');
    const ffPr = await open('feature/ff');
    const res2 = await forge.merge(repo, ffPr.number, { method: 'rebase', idempotencyKey: 'rb2' }, signal());
    expect(res2.sha).toBe(ff);
    expect(readdirSync(tmp.dir).filter((d) => d.startsWith('baton-forge-'))).toEqual([]);
  });

  it('refuses a merge when the head moved past the reviewed sha', async () => {
    const reviewed = origin.commit('feature a', { 'a.txt': 'a\n' }, 'feature/a');
    const pr = await open('feature/a');
    const pushed = origin.commit('sneaky', { 'a.txt': 'b\n' }, 'feature/a');
    const before = origin.rev('main');
    const e = await rejection(
      forge.merge(repo, pr.number, { method: 'merge', sha: reviewed, idempotencyKey: 'm' }, signal()),
    );
    expect(e.code).toBe('conflict');
    expect(e.message).toContain(`expected ${reviewed}`);
    expect(e.details).toEqual({ expected: reviewed, actual: pushed });
    expect(origin.rev('main')).toBe(before);
    expect((await forge.getPullRequest(repo, pr.number, signal())).headSha).toBe(pushed);
    expect(events.find((x) => x.type === 'pr.synchronized')!.payload).toMatchObject({
      before: reviewed,
      headSha: pushed,
    });
    const draft = await forge
      .openPullRequest(
        repo,
        { head: 'feature/a', base: 'other', title: 'draft', body: '', draft: true, idempotencyKey: 'd' },
        signal(),
      )
      .catch((err: unknown) => err);
    expect(isBatonError(draft, 'invalid_input')).toBe(true); // no branch "other"

    const closed = await forge.closePullRequest(repo, pr.number, { idempotencyKey: 'close' }, signal());
    expect(closed.state).toBe('closed');
    expect(
      (await rejection(forge.merge(repo, pr.number, { method: 'merge', idempotencyKey: 'm' }, signal())))
        .code,
    ).toBe('invalid_state');
    expect(await forge.mergeability(repo, pr.number, signal())).toEqual({ mergeable: null, conflicts: [] });
  });

  it('shows the diff of an open pull request, bounded', async () => {
    origin.commit('feature a', { 'a.txt': 'a\n', 'big.txt': `${'x'.repeat(80)}\n`.repeat(200) }, 'feature/a');
    origin.commit('main moves', { 'm.txt': 'm\n' });
    const pr = await open('feature/a');
    const full = await forge.diff(repo, pr.number, signal());
    expect(full.files).toEqual([
      { path: 'a.txt', additions: 1, deletions: 0 },
      { path: 'big.txt', additions: 200, deletions: 0 },
    ]);
    expect([full.additions, full.deletions, full.truncated]).toEqual([201, 0, false]);
    expect(full.patch).toContain('+++ b/a.txt');
    expect(full.patch).not.toContain('m.txt'); // base...head: from the merge base
    const cut = await forge.diff(repo, pr.number, signal(), { maxPatchBytes: 2000 });
    expect(cut.truncated).toBe(true);
    expect(cut.patch).toContain('+++ b/a.txt');
    expect(cut.patch).not.toContain('big.txt');
  });
});

describe('the local forge without merge-tree (temporary worktrees)', () => {
  let fdb: ForgeDb;
  let tmp: ReturnType<typeof tempDir>;
  let origin: Origin;
  beforeAll(async () => {
    fdb = await openForgeDb('sqlite');
  });
  afterAll(async () => fdb.close());
  beforeEach(() => {
    tmp = tempDir('baton-local-forge-');
    origin = makeOrigin(tmp.dir);
  });
  afterEach(() => tmp.cleanup());

  it('checks, merges and squashes in a worktree it removes afterwards', async () => {
    const scratch = join(tmp.dir, 'created', 'on', 'demand');
    const { forge } = recordingForge(fdb.store, { mergeStrategy: 'worktree', tmpDir: scratch });
    const repo = origin.url;
    const mk = (head: string) =>
      forge.openPullRequest(
        repo,
        { head, base: 'main', title: head, body: '', draft: false, idempotencyKey: head },
        signal(),
      );
    const head = origin.commit('a', { 'a.txt': 'a\n' }, 'feature/a');
    origin.commit('s1', { 's.txt': 's1\n' }, 'feature/s');
    origin.commit('s2', { 's.txt': 's2\n' }, 'feature/s');
    origin.commit('c', { 'src/app.js': 'branch\n' }, 'feature/c');
    const [a, s, c] = [await mk('feature/a'), await mk('feature/s'), await mk('feature/c')];
    origin.commit('main', { 'src/app.js': 'main\n' });
    expect(await forge.mergeability(repo, a.number, signal())).toEqual({ mergeable: true, conflicts: [] });
    expect(await forge.mergeability(repo, c.number, signal())).toEqual({
      mergeable: false,
      conflicts: ['src/app.js'],
    });
    const old = origin.rev('main')!;
    const merged = await forge.merge(repo, a.number, { method: 'merge', idempotencyKey: 'ma' }, signal());
    expect(parents(repo, merged.sha)).toEqual([old, head]);
    const squashed = await forge.merge(repo, s.number, { method: 'squash', idempotencyKey: 'ms' }, signal());
    expect(parents(repo, squashed.sha)).toEqual([merged.sha]);
    expect(show(repo, 'main', 's.txt')).toBe('s2');
    expect(
      (await rejection(forge.merge(repo, c.number, { method: 'merge', idempotencyKey: 'mc' }, signal())))
        .code,
    ).toBe('conflict');
    expect(readdirSync(scratch)).toEqual([]);
    expect(
      git(repo, 'worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree ')),
    ).toHaveLength(1);
  });

  it('keeps events whose emit failed in the outbox until the next flush', async () => {
    let failing = true;
    const seen: string[] = [];
    const errors: unknown[] = [];
    const { createLocalForge } = await import('../../src/forges/local/localForge.ts');
    const forge = createLocalForge({
      store: fdb.store,
      events: {
        emit: async (type) => {
          if (failing) throw new Error('events are down');
          seen.push(type);
        },
      },
      onEmitError: (e) => errors.push(e),
    });
    origin.commit('a', { 'a.txt': 'a\n' }, 'feature/a');
    const pr = await forge.openPullRequest(
      origin.url,
      { head: 'feature/a', base: 'main', title: 'a', body: '', draft: false, idempotencyKey: 'outbox' },
      signal(),
    );
    await forge.comment(origin.url, pr.number, { body: 'x', idempotencyKey: 'c' }, signal());
    expect(errors).toHaveLength(2);
    expect(seen).toEqual([]);
    failing = false;
    expect(await forge.flushEvents(signal())).toBe(2);
    expect(seen).toEqual(['pr.opened', 'pr.commented']);
    expect(await forge.flushEvents(signal())).toBe(0);
  });
});
