import { describeAbortReason } from '../../domain/describeAbortReason.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  LogSink,
  ProcessRegistry,
  StepExecResult,
  StepExecutor,
  StepJob,
} from '../../engine/ports/stepExecutor.ts';
import { OutputPump } from './outputPump.ts';
import type { OutputLimits } from './parseOutputs.ts';
import { signalGroup, waitForGroupExit } from './processGroup.ts';
import { readProcStartTime } from './procStartTime.ts';
import { readOutputFile } from './readOutputFile.ts';
import { resolveShell, type ShellInvocation } from './resolveShell.ts';

export interface LocalExecutorOptions {
  /** where started process groups are recorded so a later incarnation can kill orphans */
  registry?: ProcessRegistry;
  /** between SIGTERM and SIGKILL on timeout/cancel (default 5000) */
  killGraceMs?: number;
  /** limits on `$BATON_OUTPUT` (defaults 64 KiB per value, 1 MiB in total) */
  outputLimits?: Partial<OutputLimits>;
  /** parent of the per-attempt private temp dirs (default os.tmpdir()) */
  tmpDir?: string;
  /** after the group is gone, stop reading stdout/stderr after this long without output (default 1000) */
  stdioIdleMs?: number;
}

type Result = Omit<StepExecResult, 'durationMs'>;
type Termination = { kind: 'timeout' | 'cancelled'; message: string; killAt: number };

const KILL_WAIT_MS = 2000;
const MAX_TIMER_MS = 2 ** 31 - 1;

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(3))} s`;
}

function failure(code: 'step_failed' | 'internal', message: string): Result {
  return { outcome: 'failure', exitCode: null, signal: null, outputs: {}, error: { code, message } };
}

function cancelled(reason: unknown): Result {
  const message = `step cancelled (${describeAbortReason(reason)})`;
  return {
    outcome: 'cancelled',
    exitCode: null,
    signal: null,
    outputs: {},
    error: { code: 'cancelled', message },
  };
}

/** Runs `run:` steps as local child processes, each in its own process group. */
export class LocalExecutor implements StepExecutor {
  private readonly registry: ProcessRegistry | undefined;
  private readonly killGraceMs: number;
  private readonly limits: OutputLimits;
  private readonly tmpDir: string | undefined;
  private readonly stdioIdleMs: number;

  constructor(opts: LocalExecutorOptions = {}) {
    this.registry = opts.registry;
    this.killGraceMs = opts.killGraceMs ?? 5000;
    this.limits = {
      valueBytes: opts.outputLimits?.valueBytes ?? 64 * 1024,
      totalBytes: opts.outputLimits?.totalBytes ?? 1024 * 1024,
    };
    this.tmpDir = opts.tmpDir;
    this.stdioIdleMs = opts.stdioIdleMs ?? 1000;
  }

  async execute(job: StepJob, sink: LogSink, signal: AbortSignal): Promise<StepExecResult> {
    const t0 = performance.now();
    let result: Result;
    try {
      result = await this.run(job, sink, signal);
    } catch (e) {
      result = failure('internal', `local runner error: ${errorMessage(e)}`);
    }
    return { ...result, durationMs: performance.now() - t0 };
  }

  private async run(job: StepJob, sink: LogSink, signal: AbortSignal): Promise<Result> {
    if (job.dryRun) return this.dryRun(job, sink);
    if (signal.aborted) return cancelled(signal.reason);
    try {
      if (!(await stat(job.cwd)).isDirectory())
        return failure('step_failed', `working directory ${job.cwd} is not a directory`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : `is not accessible (${code ?? errorMessage(e)})`;
      return failure('step_failed', `working directory ${job.cwd} ${why}`);
    }
    const resolved = await resolveShell(job.shell, job.env.PATH);
    if (!resolved.ok) return failure('step_failed', resolved.message);
    const dir = await mkdtemp(join(this.tmpDir ?? tmpdir(), 'baton-step-'));
    try {
      const outputFile = join(dir, 'output');
      await writeFile(outputFile, '', { mode: 0o600 });
      const shell = resolved.shell;
      let arg = job.command;
      if (shell.scriptExt !== null) {
        arg = join(dir, `script${shell.scriptExt}`);
        await writeFile(arg, job.command, { mode: 0o600 });
      }
      if (signal.aborted) return cancelled(signal.reason);
      let child: ChildProcess;
      try {
        child = spawn(shell.file, shell.args(arg), {
          cwd: job.cwd,
          env: { ...job.env, BATON_OUTPUT: outputFile },
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (e) {
        // e.g. a NUL byte in the command or an env value
        return failure(
          'step_failed',
          `could not start shell "${shell.name}" (${shell.file}): ${errorMessage(e)}`,
        );
      }
      return await this.supervise(child, shell, job, sink, signal, outputFile);
    } finally {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async supervise(
    child: ChildProcess,
    shell: ShellInvocation,
    job: StepJob,
    sink: LogSink,
    signal: AbortSignal,
    outputFile: string,
  ): Promise<Result> {
    const exited = new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, sig) => resolve({ code, sig })),
    );
    const spawnError = await new Promise<Error | null>((resolve) => {
      child.once('spawn', () => resolve(null));
      child.once('error', resolve);
    });
    child.on('error', () => undefined);
    const pid = child.pid;
    if (spawnError !== null || pid === undefined || child.stdout === null || child.stderr === null) {
      return failure(
        'step_failed',
        `could not start shell "${shell.name}" (${shell.file}): ${errorMessage(spawnError)}`,
      );
    }
    const pgid = pid; // detached: the child leads its own process group
    const pump = new OutputPump(sink, [
      [child.stdout, 'stdout'],
      [child.stderr, 'stderr'],
    ]);
    const state: { internalError: string | null } = { internalError: null };
    let hasExited = false;
    let termination: Termination | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    const terminate = (kind: Termination['kind'], message: string): void => {
      if (termination !== null || hasExited) return;
      termination = { kind, message, killAt: performance.now() + this.killGraceMs };
      signalGroup(pgid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), this.killGraceMs);
    };
    const onAbort = (): void =>
      terminate('cancelled', `step cancelled (${describeAbortReason(signal.reason)})`);

    const registry = this.registry;
    const recorded = registry
      ? registry
          .record({ pid, pgid, startTime: readProcStartTime(pid), stepId: job.stepId, attempt: job.attempt })
          .then(
            () => true,
            (e: unknown) => {
              state.internalError = `could not record process ${pid} in the process registry, so it was killed: ${errorMessage(e)}`;
              signalGroup(pgid, 'SIGKILL');
              return false;
            },
          )
      : Promise.resolve(false);

    try {
      if (job.timeoutMs !== undefined && job.timeoutMs > 0) {
        const ms = job.timeoutMs;
        timeoutTimer = setTimeout(
          () => terminate('timeout', `step timed out after ${formatDuration(ms)}`),
          Math.min(ms, MAX_TIMER_MS),
        );
      }
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();

      const { code, sig } = await exited;
      hasExited = true;
      clearTimeout(timeoutTimer);
      signal.removeEventListener('abort', onAbort);
      const term = termination as Termination | null;
      // Terminating: leave the rest of the group its grace period. Otherwise: kill leftovers now.
      if (term !== null) await waitForGroupExit(pgid, Math.max(0, term.killAt - performance.now()));
      clearTimeout(killTimer);
      signalGroup(pgid, 'SIGKILL');
      const groupGone = await waitForGroupExit(pgid, KILL_WAIT_MS);
      if (!groupGone)
        await this.system(
          sink,
          pump,
          `[baton] process group ${pgid} survived SIGKILL; left in the process registry\n`,
        );
      // An abort after a normal exit stops the drain; after a termination, keep what is left in the pipes.
      if (!(await pump.waitClosed(this.stdioIdleMs, term === null ? signal : undefined)) && !signal.aborted) {
        await this.system(
          sink,
          pump,
          '[baton] stopped reading output: a process outside the step still holds stdout/stderr open\n',
        );
      }
      await recorded;
      if (registry && groupGone) {
        await registry
          .remove(pid)
          .catch((e: unknown) =>
            this.system(
              sink,
              pump,
              `[baton] could not remove process ${pid} from the registry: ${errorMessage(e)}\n`,
            ),
          );
      }
      const parsed = await readOutputFile(outputFile, this.limits);
      const base = { exitCode: code, signal: sig, outputs: parsed.ok ? parsed.outputs : {} };
      if (state.internalError !== null)
        return { ...base, outcome: 'failure', error: { code: 'internal', message: state.internalError } };
      if (term !== null && term.kind === 'timeout')
        return { ...base, outcome: 'timeout', error: { code: 'step_timeout', message: term.message } };
      if (term !== null)
        return { ...base, outcome: 'cancelled', error: { code: 'cancelled', message: term.message } };
      if (code !== 0) {
        const message = sig !== null ? `command was killed by ${sig}` : `command exited with code ${code}`;
        return { ...base, outcome: 'failure', error: { code: 'step_failed', message } };
      }
      if (!parsed.ok)
        return { ...base, outcome: 'failure', error: { code: parsed.code, message: parsed.message } };
      if (pump.sinkError !== undefined) {
        const message = `writing the step's output to the log failed: ${errorMessage(pump.sinkError)}`;
        return { ...base, outcome: 'failure', error: { code: 'internal', message } };
      }
      return { ...base, outcome: 'success' };
    } finally {
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async system(sink: LogSink, pump: OutputPump, text: string): Promise<void> {
    if (pump.sinkError !== undefined) return;
    try {
      await sink.write('system', Buffer.from(text));
    } catch (e) {
      pump.sinkError = e;
    }
  }

  private async dryRun(job: StepJob, sink: LogSink): Promise<Result> {
    const resolved = await resolveShell(job.shell, job.env.PATH);
    const shell = resolved.ok ? resolved.shell.name : (job.shell ?? 'bash');
    const names = [...new Set([...Object.keys(job.env), 'BATON_OUTPUT'])].sort();
    const text = `[dry-run] would run in ${job.cwd} with ${shell}:\n${job.command}\n[dry-run] environment: ${names.join(', ')}\n`;
    await sink.write('system', Buffer.from(text));
    return { outcome: 'success', exitCode: null, signal: null, outputs: {} };
  }
}
