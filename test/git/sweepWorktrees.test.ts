import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepWorktrees } from '../../src/actions/git/sweepWorktrees.ts';
import { RepoMirror } from '../../src/forges/git/repoMirror.ts';
import { Worktrees } from '../../src/forges/git/worktrees.ts';
import { makeOrigin, tempDir } from './gitFixture.ts';

describe('worktree retention', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('removes the worktrees (and local branches) of runs that ended long enough ago, keeps live ones', async () => {
    const t = tempDir('baton-sweep-');
    cleanups.push(t.cleanup);
    const origin = makeOrigin(t.dir);
    origin.commit('initial', { 'README.md': '# x\n' });
    const dataDir = join(t.dir, 'data');
    const signal = AbortSignal.timeout(30_000);
    const mirror = await new RepoMirror({ dataDir }).ensure({ name: 'acme/x', url: origin.url }, signal);
    const worktrees = new Worktrees({ dataDir });
    const make = (run: string) =>
      worktrees.create({
        mirrorDir: mirror.dir,
        run,
        key: 'run',
        branch: `run/${run}`,
        base: 'main',
        owner: `run:${run}`,
        signal,
      });
    const [old, recent, live] = await Promise.all([make('old'), make('recent'), make('live')]);
    const now = Date.now();
    const runs: Record<string, { status: 'succeeded' | 'running'; finishedAt: number | null }> = {
      old: { status: 'succeeded', finishedAt: now - 2 * 3_600_000 },
      recent: { status: 'succeeded', finishedAt: now - 60_000 },
      live: { status: 'running', finishedAt: null },
    };
    const removed = await sweepWorktrees(worktrees, async (id) => runs[id], 3_600_000, signal, now);
    expect(removed).toEqual([old.path]);
    expect(existsSync(old.path)).toBe(false);
    expect(existsSync(recent.path) && existsSync(live.path)).toBe(true);
    expect((await worktrees.list()).map((w) => w.run).sort()).toEqual(['live', 'recent']);
  });
});
