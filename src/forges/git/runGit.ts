import { spawn } from 'node:child_process';
import { describeAbortReason } from '../../domain/describeAbortReason.ts';
import { signalGroup, waitForGroupExit } from '../../runners/local/processGroup.ts';
import { GitError, type GitFailureKind } from './GitError.ts';
import { BATON_GIT_IDENTITY, gitEnv, type GitIdentity } from './gitEnv.ts';

export interface RunGitOptions {
  /** where git runs (also what relative paths resolve against) */
  cwd: string;
  /** aborting kills the command (TERM, KILL after 2 s) and rejects with a `cancelled` GitError */
  signal: AbortSignal;
  /** default 5 minutes; a timeout is a retryable GitError */
  timeoutMs?: number;
  /** config for this command only (credential headers…), never written to a file */
  config?: ReadonlyArray<readonly [string, string]>;
  /** default: the committer */
  author?: GitIdentity;
  /** default Baton <baton@localhost> */
  committer?: GitIdentity;
  /** extra environment, applied last */
  env?: Record<string, string>;
  /** written to stdin, which is then closed */
  input?: string;
  /** exit codes that are not failures (default [0]); `git diff --quiet` needs [0, 1] */
  okExitCodes?: readonly number[];
  /** stdout cap in bytes (default 32 MiB); more is an `output_too_large` GitError */
  maxOutputBytes?: number;
  /** default `git` from PATH */
  gitBinary?: string;
}

export interface GitResult {
  stdout: string;
  /** the last 64 KiB of stderr */
  stderr: string;
  exitCode: number;
}

const STDERR_KEEP = 64 * 1024;
const KILL_GRACE_MS = 2000;

/**
 * Run `git <args>` without a shell, in its own process group, with Baton's fixed environment
 * (`gitEnv`: no user or system config, no prompts, C locale, explicit identities). Resolves when
 * the exit code is acceptable; otherwise rejects with a GitError. Every rejection waits until the
 * whole process group is gone, so no git (or remote helper) outlives the call.
 */
export function runGit(args: readonly string[], opts: RunGitOptions): Promise<GitResult> {
  const committer = opts.committer ?? BATON_GIT_IDENTITY;
  const env = gitEnv({
    author: opts.author ?? committer,
    committer,
    config: opts.config ?? [],
    extra: opts.env ?? {},
    host: process.env,
  });
  const fail = (kind: GitFailureKind, extra: Partial<ConstructorParameters<typeof GitError>[0]> = {}) =>
    new GitError({ kind, args, cwd: opts.cwd, exitCode: null, signal: null, stderr: '', ...extra });
  if (opts.signal.aborted) {
    return Promise.reject(fail('aborted', { detail: describeAbortReason(opts.signal.reason) }));
  }
  return new Promise<GitResult>((resolve, reject) => {
    const child = spawn(opts.gitBinary ?? 'git', args, {
      cwd: opts.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const maxOut = opts.maxOutputBytes ?? 32 * 1024 * 1024;
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let stopped: { kind: GitFailureKind; detail: string } | null = null;
    let killTimer: NodeJS.Timeout | undefined;

    const stop = (kind: GitFailureKind, detail: string) => {
      if (stopped !== null) return;
      stopped = { kind, detail };
      if (child.pid === undefined) return;
      const pid = child.pid;
      signalGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = () => stop('aborted', describeAbortReason(opts.signal.reason));
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
    const timer = setTimeout(() => stop('timeout', `${timeoutMs} ms`), timeoutMs);

    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > maxOut) return stop('output_too_large', `${maxOut} bytes`);
      out.push(b);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      err += s;
      if (err.length > 2 * STDERR_KEEP) err = err.slice(-STDERR_KEEP);
    });
    child.stdin.on('error', () => undefined); // EPIPE when git exits early: the exit code tells
    child.stdin.end(opts.input ?? '');

    let spawnError: Error | undefined;
    child.once('error', (e) => {
      spawnError = e;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      opts.signal.removeEventListener('abort', onAbort);
      const stderr = err.slice(-STDERR_KEEP);
      if (stopped !== null) {
        const error = fail(stopped.kind, { detail: stopped.detail, stderr, exitCode: code, signal });
        // Helpers that do not hold our pipes (ssh, remote-https) may still be exiting: wait them out.
        if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
        void waitForGroupExit(child.pid ?? 0, 2000).then(() => reject(error));
        return;
      }
      if (spawnError !== undefined) {
        return reject(fail('spawn', { detail: spawnError.message, cause: spawnError }));
      }
      if (code === null || !(opts.okExitCodes ?? [0]).includes(code)) {
        return reject(fail('exit', { stderr, exitCode: code, signal }));
      }
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr, exitCode: code });
    });
  });
}
