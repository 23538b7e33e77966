import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalGroup, terminateGroup, waitForGroupExit } from '../../runners/local/processGroup.ts';

/** A CLI started in its own process group (detached), stdin closed. */
export interface AgentProcess {
  pid: number;
  stdout: Readable;
  stderr: Readable;
  /** exit code and signal; rejects only when the process could not be started */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout and stderr are done */
  closed: Promise<void>;
}

export function spawnAgentProcess(
  bin: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): AgentProcess {
  const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  if (child.pid === undefined) {
    exited.catch(() => undefined);
    return { pid: 0, stdout: child.stdout, stderr: child.stderr, exited, closed };
  }
  return { pid: child.pid, stdout: child.stdout, stderr: child.stderr, exited, closed };
}

/** TERM the group, KILL after `graceMs`. */
export function stopGroup(pid: number, graceMs: number): Promise<boolean> {
  return terminateGroup(pid, { graceMs });
}

/**
 * After the CLI itself exited: KILL whatever it left in its group (helpers holding the pipes),
 * wait (bounded) for stdout to close and for the group to be gone.
 */
export async function reapGroup(p: AgentProcess, closeWaitMs = 5000): Promise<boolean> {
  signalGroup(p.pid, 'SIGKILL');
  const timer = new AbortController();
  await Promise.race([
    p.closed,
    sleep(closeWaitMs, undefined, { signal: timer.signal }).catch(() => undefined),
  ]);
  timer.abort(); // the timer must not keep the process alive once the pipes closed
  return waitForGroupExit(p.pid, 2000);
}
