import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessRecord } from '../../engine/ports/stepExecutor.ts';
import { killOrphans } from './killOrphans.ts';
import { isGroupAlive, signalGroup } from './processGroup.ts';
import { isProcessAlive, readProcStartTime } from './procStartTime.ts';

const groups: number[] = [];
afterEach(() => {
  for (const g of groups.splice(0)) signalGroup(g, 'SIGKILL');
});

/** Start a detached group as a previous runner incarnation would have. */
async function startGroup(
  script: string,
): Promise<{ child: ChildProcess; rec: ProcessRecord; firstLine: Promise<string> }> {
  const child = spawn('bash', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const firstLine = new Promise<string>((resolve) =>
    child.stdout?.once('data', (b: Buffer) => resolve(b.toString().trim())),
  );
  await new Promise((r) => child.once('spawn', r));
  const pid = child.pid ?? 0;
  groups.push(pid);
  return {
    child,
    rec: { pid, pgid: pid, startTime: readProcStartTime(pid), stepId: 's1', attempt: 1 },
    firstLine,
  };
}

describe('killOrphans', () => {
  it('kills a recorded group (TERM) and waits until it is gone', async () => {
    const { rec, firstLine } = await startGroup('sleep 1000 & echo $!; wait');
    const grandchild = Number(await firstLine);
    const res = await killOrphans([rec], { graceMs: 2000 });
    expect(res).toEqual({ killed: [rec], gone: [], skipped: [] });
    expect(isProcessAlive(rec.pid)).toBe(false);
    expect(isProcessAlive(grandchild)).toBe(false);
    expect(isGroupAlive(rec.pgid)).toBe(false);
  });

  it('KILLs a group that ignores TERM after the grace period', async () => {
    const { rec, firstLine } = await startGroup("trap '' TERM; echo ready; sleep 1000");
    await firstLine;
    const t0 = performance.now();
    const res = await killOrphans([rec], { graceMs: 300 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(res.killed).toEqual([rec]);
    expect(isGroupAlive(rec.pgid)).toBe(false);
  });

  it('skips a live pid whose start time differs (pid reuse) and reports dead ones as gone', async () => {
    const { rec, firstLine } = await startGroup('echo ready; sleep 1000');
    await firstLine;
    const reused = { ...rec, startTime: '1' };
    const dead: ProcessRecord = {
      pid: 2 ** 22 + 4321,
      pgid: 2 ** 22 + 4321,
      startTime: null,
      stepId: 's2',
      attempt: 1,
    };
    const res = await killOrphans([reused, dead], { graceMs: 100 });
    expect(res).toEqual({ killed: [], gone: [dead], skipped: [reused] });
    expect(isProcessAlive(rec.pid)).toBe(true);
  });

  it('kills what is left of a group whose leader already exited, and trusts a null start time', async () => {
    const { child, rec, firstLine } = await startGroup('sleep 1000 & echo $!');
    const grandchild = Number(await firstLine);
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    expect(isProcessAlive(grandchild)).toBe(true);
    const res = await killOrphans([{ ...rec, startTime: null }], { graceMs: 1000 });
    expect(res.killed).toHaveLength(1);
    expect(isProcessAlive(grandchild)).toBe(false);
  });

  it('rejects with the abort reason', async () => {
    const ac = new AbortController();
    ac.abort(new Error('shutting down'));
    await expect(killOrphans([], { signal: ac.signal })).resolves.toEqual({
      killed: [],
      gone: [],
      skipped: [],
    });
    const { rec, firstLine } = await startGroup("trap '' TERM; echo ready; sleep 1000");
    await firstLine;
    await expect(killOrphans([rec], { signal: ac.signal })).rejects.toThrow('shutting down');
  });
});
