import { readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat that Baton needs. */
export interface ProcStat {
  pid: number;
  comm: string;
  /** field 3: R, S, D, Z (zombie), X (dead), T, t, I… */
  state: string;
  /** field 5: process group id */
  pgrp: number;
  /** field 22: start time in clock ticks since boot, kept as the decimal string */
  startTime: string;
}

/**
 * Parse one /proc/<pid>/stat line. The comm (field 2) is wrapped in parentheses and may itself
 * contain spaces and parentheses, so it runs from the first `(` to the LAST `)`.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  // fields 3… follow ") "
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const state = rest[0];
  const pgrp = rest[2];
  const startTime = rest[19];
  if (!Number.isInteger(pid) || state === undefined || pgrp === undefined || startTime === undefined)
    return null;
  if (!/^\d+$/.test(startTime) || !/^-?\d+$/.test(pgrp)) return null;
  return { pid, comm: text.slice(open + 1, close), state, pgrp: Number(pgrp), startTime };
}

/** /proc/<pid>/stat parsed, or null when the process does not exist (or /proc is unavailable). */
export function readProcStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Start time of a process (field 22 of /proc/<pid>/stat), or null when unknown. */
export function readProcStartTime(pid: number): string | null {
  return readProcStat(pid)?.startTime ?? null;
}

/** A zombie (exited, not yet reaped — common when PID 1 does not reap) counts as dead. */
export function isZombieState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/** True when the process exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProcStat(pid);
  return stat === null ? true : !isZombieState(stat.state);
}
