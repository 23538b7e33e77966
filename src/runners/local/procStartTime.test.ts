import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive, parseProcStat, readProcStartTime, readProcStat } from './procStartTime.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function waitForLine(c: ChildProcess): Promise<string> {
  return new Promise((resolve) => c.stdout?.once('data', (b: Buffer) => resolve(b.toString().trim())));
}

describe('procStartTime', () => {
  it('parses field 22 even when the comm contains spaces and parentheses', () => {
    const rest = ['S', '1', '4242', '4242', '0', '-1', '4194304'].concat(
      Array.from({ length: 12 }, (_, i) => String(i + 100)),
    );
    const line = `4242 (a) b (c) d) ${rest.join(' ')} 987654 10000 200 rest of line\n`;
    expect(parseProcStat(line)).toEqual({
      pid: 4242,
      comm: 'a) b (c) d',
      state: 'S',
      pgrp: 4242,
      startTime: '987654',
    });
    expect(parseProcStat('garbage')).toBeNull();
    expect(parseProcStat('1 (x) S 0')).toBeNull();
  });

  it('reads a real process whose executable name has spaces and parentheses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-comm-'));
    dirs.push(dir);
    const weird = join(dir, 'a) b (c');
    symlinkSync('/bin/sleep', weird);
    const child = spawn(weird, ['1000'], { stdio: 'ignore' });
    children.push(child);
    await new Promise((r) => child.once('spawn', r));
    const pid = child.pid ?? 0;
    for (let i = 0; i < 100 && readProcStat(pid)?.comm !== 'a) b (c'; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(readProcStat(pid)).toMatchObject({
      pid,
      comm: 'a) b (c',
      state: expect.stringMatching(/^[RS]$/) as string,
    });
    const start = readProcStartTime(pid);
    expect(start).toMatch(/^\d+$/);
    expect(BigInt(start ?? '0')).toBeGreaterThanOrEqual(BigInt(readProcStartTime(process.pid) ?? '0'));
    expect(isProcessAlive(pid)).toBe(true);
  });

  it('treats missing processes and zombies as not alive', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(2 ** 22 + 12345)).toBe(false);
    expect(readProcStartTime(2 ** 22 + 12345)).toBeNull();
    // `exec sleep` never reaps its child, so the short sleep below stays a zombie.
    const child = spawn('bash', ['-c', 'sleep 0.1 & echo $!; exec sleep 1000'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(child);
    const zombie = Number(await waitForLine(child));
    for (let i = 0; i < 100 && readProcStat(zombie)?.state !== 'Z'; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(readProcStat(zombie)?.state).toBe('Z');
    expect(isProcessAlive(zombie)).toBe(false);
  });
});
