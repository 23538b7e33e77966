import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isBatonError } from '../../src/domain/errors.ts';
import type { LocalForgeStore } from '../../src/forges/local/localForgeStore.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { makeOrigin, tempDir, type Origin } from '../git/gitFixture.ts';
import { openForgeDb, recordingForge, signal, type ForgeDb } from './localForgeFixture.ts';

describe.each(DIALECTS)('the local forge after crashes and races (%s)', (dialect) => {
  let fdb: ForgeDb;
  let tmp: ReturnType<typeof tempDir>;
  let origin: Origin;
  beforeAll(async () => {
    fdb = await openForgeDb(dialect);
  });
  afterAll(async () => fdb.close());
  beforeEach(() => {
    tmp = tempDir('baton-local-forge-');
    origin = makeOrigin(tmp.dir);
  });
  afterEach(() => tmp.cleanup());

  const request = (head: string, idempotencyKey: string) => ({
    head,
    base: 'main',
    title: head,
    body: '',
    draft: false,
    idempotencyKey,
  });

  it('finishes a merge whose base branch moved before the record was written', async () => {
    let crash = true;
    const crashing: LocalForgeStore = {
      ...fdb.store,
      async updatePullRequest(id, patch, opts) {
        if (crash && patch.state === 'merged') {
          crash = false;
          throw new Error('killed between update-ref and the record');
        }
        return fdb.store.updatePullRequest(id, patch, opts);
      },
    };
    const first = recordingForge(crashing);
    origin.commit('a', { 'a.txt': 'a\n' }, 'feature/a');
    const pr = await first.forge.openPullRequest(origin.url, request('feature/a', 'open'), signal());
    await expect(
      first.forge.merge(origin.url, pr.number, { method: 'squash', idempotencyKey: 'merge' }, signal()),
    ).rejects.toThrow('killed');
    const moved = origin.rev('main');

    const second = recordingForge(fdb.store);
    expect(
      await second.forge.merge(
        origin.url,
        pr.number,
        { method: 'squash', idempotencyKey: 'merge' },
        signal(),
      ),
    ).toEqual({
      sha: moved,
      merged: false,
    });
    expect(origin.rev('main')).toBe(moved); // not merged twice
    expect(await second.forge.getPullRequest(origin.url, pr.number, signal())).toMatchObject({
      state: 'merged',
      mergeSha: moved,
    });
    expect(second.types()).toEqual(['pr.merged']);
  });

  it('opens one pull request when a step and its retry race', async () => {
    origin.commit('a', { 'a.txt': 'a\n' }, 'feature/a');
    origin.commit('b', { 'b.txt': 'b\n' }, 'feature/b');
    const forges = [recordingForge(fdb.store), recordingForge(fdb.store), recordingForge(fdb.store)];
    const same = await Promise.all(
      forges.map((f) => f.forge.openPullRequest(origin.url, request('feature/a', 'same-key'), signal())),
    );
    expect(new Set(same.map((p) => p.number)).size).toBe(1);
    expect(forges.flatMap((f) => f.types())).toEqual(['pr.opened']);

    const results = await Promise.allSettled(
      forges.map((f, i) => f.forge.openPullRequest(origin.url, request('feature/b', `key-${i}`), signal())),
    );
    const opened = results.filter((r) => r.status === 'fulfilled');
    expect(opened).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(isBatonError(r.reason, 'conflict')).toBe(true);
    }
  });

  it('numbers pull requests per repository', async () => {
    const second = tempDir('baton-local-forge-');
    try {
      const o2 = makeOrigin(second.dir);
      origin.commit('a', { 'a.txt': 'a\n' }, 'feature/a');
      o2.commit('a', { 'a.txt': 'a\n' }, 'feature/a');
      const { forge } = recordingForge(fdb.store);
      const p1 = await forge.openPullRequest(origin.url, request('feature/a', 'k'), signal());
      const p2 = await forge.openPullRequest(o2.url, request('feature/a', 'k'), signal());
      expect([p1.number, p2.number]).toEqual([1, 1]);
    } finally {
      second.cleanup();
    }
  });
});
