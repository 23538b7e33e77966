import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../fixtures/crashWorker.ts', import.meta.url));
/** A whole Baton runner (actions, agents) instead of the command-only crash worker. */
export const BATON_SCRIPT = fileURLToPath(new URL('../fixtures/crashBaton.ts', import.meta.url));

export interface WorkerProc {
  proc: ChildProcess;
  owner: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Starts a runner process on the given database (see test/fixtures/crashWorker.ts). */
export function spawnWorker(env: Record<string, string>, script = SCRIPT): WorkerProc {
  const proc = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const owner = new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      const m = /ready (\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    proc.on('exit', () => reject(new Error(`worker exited before ready: ${stderr}`)));
  });
  owner.catch(() => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    owner,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
