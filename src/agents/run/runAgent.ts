import { describeAbortReason } from '../../domain/describeAbortReason.ts';
import { resolveBinary } from '../runtimes/runtimeRegistry.ts';
import { redactSecrets } from '../transcript/redactSecrets.ts';
import { Transcriber } from '../transcript/transcriber.ts';
import { TranscriptAggregator } from '../transcript/transcriptAggregator.ts';
import type { TranscriptEvent } from '../transcript/transcriptEvent.ts';
import { emptySummary } from '../transcript/transcriptSummary.ts';
import { reapGroup, spawnAgentProcess, stopGroup, type AgentProcess } from './agentProcess.ts';
import type { AgentLaunch, AgentRuntime } from './AgentRuntime.ts';
import type { AgentRunOptions, AgentRunResult } from './AgentRunResult.ts';
import { finalStatus } from './finalStatus.ts';
import { childEnv, launchSecrets, writeLaunchFiles } from './prepareLaunch.ts';
import { RunGuards, type Stop } from './runGuards.ts';
import { TextTail } from './stderrTail.ts';

export type { AgentRunOptions, AgentRunResult, AgentRunStatus, AgentRunLimits } from './AgentRunResult.ts';

const TICK_MS = 100;
const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** A result for a run that never started. */
function notStarted(stop: Stop, t0: number): AgentRunResult {
  return {
    ...stop,
    exitCode: null,
    signal: null,
    pid: null,
    sessionId: null,
    summary: emptySummary(),
    stderrTail: '',
    durationMs: Date.now() - t0,
  };
}

/**
 * Runs an agent CLI on one launch: spawns it in its own process group with a clean environment,
 * turns its stdout into transcript events (secrets redacted) delivered to `onEvent` in order,
 * enforces the hard stops (budgets, wall time, stall, loop, rate limit, abort — each kills the
 * whole group, TERM then KILL) and resolves once every process of the group is gone.
 */
export async function runAgent(
  runtime: AgentRuntime,
  launch: AgentLaunch,
  opts: AgentRunOptions = {},
  signal?: AbortSignal,
): Promise<AgentRunResult> {
  const t0 = Date.now();
  const hostEnv = opts.hostEnv ?? process.env;
  const cancelledStop = (): Stop => ({
    status: 'cancelled',
    reason: `cancelled (${describeAbortReason(signal?.reason)})`,
  });
  if (signal?.aborted) return notStarted(cancelledStop(), t0);
  let bin = opts.binary;
  if (bin === undefined) {
    const found = resolveBinary(runtime, { env: hostEnv });
    if (!found.ok) return notStarted({ status: 'failed', reason: found.message }, t0);
    bin = found.path;
  }
  const inv = runtime.invocation(launch);
  try {
    await writeLaunchFiles(launch, inv);
  } catch (e) {
    return notStarted(
      { status: 'failed', reason: `cannot prepare ${launch.homeDir}: ${errorMessage(e)}` },
      t0,
    );
  }
  const secrets = launchSecrets(launch);
  const transcriber = new Transcriber({
    parse: runtime.createParser(),
    secrets,
    ...(opts.startSeq === undefined ? {} : { startSeq: opts.startSeq }),
  });
  const limits = opts.limits ?? {};
  const agg = new TranscriptAggregator({
    cwd: launch.cwd,
    ...(limits.loopThreshold === undefined ? {} : { loopThreshold: limits.loopThreshold }),
  });
  const progress = runtime.createProgress?.();
  const guards = new RunGuards(limits, agg, progress, t0);
  const stderr = new TextTail();

  let proc: AgentProcess;
  try {
    proc = spawnAgentProcess(bin, inv.args, launch.cwd, childEnv(launch, inv, hostEnv, opts.extraEnv));
  } catch (e) {
    return notStarted({ status: 'crashed', reason: `cannot start ${bin}: ${errorMessage(e)}` }, t0);
  }

  /** the hard stop that ended the run, and its kill in progress (set from callbacks) */
  const halted: { stop: Stop | null; killing: Promise<boolean> | null } = { stop: null, killing: null };
  const halt = (s: Stop | null): void => {
    if (s === null || halted.stop !== null) return;
    halted.stop = s;
    clearInterval(timer);
    if (proc.pid > 0) halted.killing = stopGroup(proc.pid, opts.killGraceMs ?? 5000);
  };
  const deliver = (events: TranscriptEvent[]): void => {
    for (const e of events) {
      const now = Date.now();
      agg.add(e);
      progress?.push(e.raw);
      try {
        opts.onEvent?.(e);
      } catch (err) {
        halt({ status: 'failed', reason: `the event sink failed: ${errorMessage(err)}` });
      }
      if (halted.stop === null) halt(guards.onEvent(e, now));
    }
  };
  const timer = setInterval(() => halt(guards.onTick(Date.now())), TICK_MS);
  const onAbort = (): void => halt(cancelledStop());
  signal?.addEventListener('abort', onAbort, { once: true });
  proc.stdout.on('data', (chunk: Buffer) => deliver(transcriber.push(chunk)));
  proc.stderr.setEncoding('utf8').on('data', (s: string) => stderr.push(s));

  let exitCode: number | null = null;
  let exitSignal: NodeJS.Signals | null = null;
  let spawnError: string | null = null;
  try {
    ({ code: exitCode, signal: exitSignal } = await proc.exited);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    spawnError =
      err.code === 'ENOENT'
        ? `${runtime.binary.name} not found at ${bin}: ${runtime.binary.install}`
        : `cannot start ${bin}: ${errorMessage(e)}`;
  } finally {
    clearInterval(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  if (proc.pid > 0) {
    await reapGroup(proc);
    if (halted.killing !== null) await halted.killing;
  }
  deliver(transcriber.end());
  const summary = agg.summary();
  // a run stopped mid-turn may have spent more than its parsed events say (the live progress read
  // the usage off raw lines first): what it spent counts against the budgets of later attempts
  const live = progress?.tokens;
  if (live && live.input + live.output > summary.usage.input + summary.usage.output) {
    summary.usage = { ...summary.usage, input: live.input, output: live.output };
  }
  const outcome = finalStatus(
    halted.stop,
    summary,
    { binary: runtime.binary.name, exitCode, signal: exitSignal, stderrTail: stderr.toString(), spawnError },
    Date.now() + (opts.rateLimitFallbackMs ?? 60_000),
  );
  return {
    ...outcome,
    reason: redactSecrets(outcome.reason, secrets),
    exitCode,
    signal: exitSignal,
    pid: proc.pid > 0 ? proc.pid : null,
    sessionId: summary.session_id,
    summary,
    stderrTail: redactSecrets(stderr.toString(), secrets),
    durationMs: Date.now() - t0,
  };
}
