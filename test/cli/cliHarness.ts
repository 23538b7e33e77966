import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `node bin/baton.js …` in a temporary directory with its own BATON_DATA_DIR, so
 * each test is isolated from the developer's environment and from the others. Tracks every
 * process it starts so `cleanup()` can end the ones still running.
 */
export class CliHarness {
  readonly dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
  readonly dataDir = join(this.dir, 'data');
  private readonly children = new Set<ChildProcess>();

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (k.startsWith('BATON_') || k === 'DATABASE_URL' || k === 'REDIS_URL' || k === 'FORCE_COLOR')
        continue;
      env[k] = v;
    }
    return { ...env, BATON_DATA_DIR: this.dataDir, NO_COLOR: '1', USER: 'tester', ...extra };
  }

  /** Starts `baton …` without waiting (serve). */
  start(args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: this.dir,
      env: this.env(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Runs `baton …` to completion. */
  run(args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 30_000): Promise<CliResult> {
    const child = this.start(args, extraEnv);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(
            `baton ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
          ),
        );
      }, timeoutMs);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** Parses the JSON a `--json` command printed. */
  async json<T = Record<string, unknown>>(args: string[]): Promise<T> {
    const r = await this.run(['--json', ...args]);
    try {
      return JSON.parse(r.stdout) as T;
    } catch {
      throw new Error(
        `baton --json ${args.join(' ')} printed no JSON (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
      );
    }
  }

  /** Ends every process still running (SIGTERM, then SIGKILL) and removes the directory. */
  async cleanup(): Promise<void> {
    await Promise.all(
      [...this.children].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Waits for `baton serve` to print its address, then for /healthz to answer. */
export async function waitForServe(
  child: ChildProcess,
  timeoutMs = 20_000,
): Promise<{ url: string; line: string }> {
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`)),
      timeoutMs,
    );
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^Baton listening on .*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}\nstdout: ${out}\nstderr: ${err}`));
    });
  });
  const url = /http:\/\/[^\s]+/.exec(line)?.[0] ?? '';
  for (let i = 0; i < 50; i++) {
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { url, line };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`serve at ${url} does not answer /healthz`);
}
