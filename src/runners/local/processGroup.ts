import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isZombieState, readProcStat } from './procStartTime.ts';

/** Send `sig` to every process of group `pgid`. Returns false when the group does not exist. */
export function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false; // never signal -1 / -0 (everyone / our own group)
  try {
    process.kill(-pgid, sig);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True while the group has a member that is not a zombie. `kill(-pgid, 0)` alone also counts
 * zombies, which never go away where PID 1 does not reap orphans, so on Linux /proc is scanned.
 */
export function isGroupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true; // no /proc: trust kill(2)
  }
  for (const name of entries) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const stat = readProcStat(Number(name));
    if (stat !== null && stat.pgrp === pgid && !isZombieState(stat.state)) return true;
  }
  return false;
}

/**
 * Poll until the group is gone or `timeoutMs` elapsed. Resolves true when gone. An aborted
 * `signal` ends the wait early (resolving with the current state); it never rejects.
 */
export async function waitForGroupExit(
  pgid: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    if (!isGroupAlive(pgid)) return true;
    const left = deadline - performance.now();
    if (left <= 0 || signal?.aborted) return false;
    try {
      await sleep(Math.min(delay, left), undefined, signal ? { signal } : undefined);
    } catch {
      return !isGroupAlive(pgid);
    }
    delay = Math.min(delay * 2, 50);
  }
}

/**
 * TERM the group, wait up to `graceMs` for it to exit, then KILL and wait (bounded by
 * `killWaitMs`). Aborting `signal` skips the rest of the grace period (straight to KILL).
 * Resolves true when the group is gone.
 */
export async function terminateGroup(
  pgid: number,
  opts: { graceMs: number; killWaitMs?: number; signal?: AbortSignal },
): Promise<boolean> {
  if (!signalGroup(pgid, 'SIGTERM')) return true;
  if (await waitForGroupExit(pgid, opts.graceMs, opts.signal)) return true;
  signalGroup(pgid, 'SIGKILL');
  return waitForGroupExit(pgid, opts.killWaitMs ?? 2000);
}
