import type { AgentExecSpec, UsesExecSpec } from '../../domain/records.ts';

/**
 * What the engine asks of a runner: execute one claimed `run:` step attempt. Implementations live
 * in src/runners (local child processes today; remote runners later).
 */

export type LogStream = 'stdout' | 'stderr' | 'system';

/** Where an executing step's output goes. `write` may apply backpressure by returning a promise. */
export interface LogSink {
  write(stream: LogStream, chunk: Buffer): void | Promise<void>;
  /** Persist everything written so far. */
  flush(): Promise<void>;
}

export interface StepJob {
  runId: string;
  stepId: string;
  stepKey: string;
  attempt: number;
  /** the step's routing iteration (incremented each time `on:` re-opens it) */
  iteration?: number;
  /**
   * false when a failure of this attempt will be retried by the step's retry policy (another
   * attempt follows), true when it will not; absent when unknown (treat as the last). An action
   * that did part of a multi-call operation undoes it only when no other attempt will resume it.
   */
  lastAttempt?: boolean;
  /** the runner holding the lease (with stepId and attempt: the lease fence) */
  owner?: string;
  /** rendered command */
  command: string;
  /** e.g. `bash` (default: bash when present, else sh) */
  shell?: string;
  cwd: string;
  /** the complete environment of the child (already filtered and rendered) */
  env: Record<string, string>;
  timeoutMs?: number;
  /** report what would run instead of running it */
  dryRun: boolean;
  /** an `agent:` step: run this agent instead of `command` */
  agent?: AgentExecSpec;
  /** a `uses:` step: run this action instead of `command` */
  uses?: UsesExecSpec;
}

export type ExecOutcome = 'success' | 'failure' | 'timeout' | 'cancelled';

export interface StepExecResult {
  outcome: ExecOutcome;
  exitCode: number | null;
  signal: string | null;
  outputs: Record<string, string>;
  /** set when the outcome is not success: a sentence naming the cause */
  error?: {
    code: 'step_failed' | 'step_timeout' | 'output_too_large' | 'cancelled' | 'internal';
    message: string;
    /**
     * false: the failure is permanent (a typed error said so) and the retry policy does not run
     * the step again; absent: the policy decides as for any failure
     */
    retryable?: boolean;
  };
  durationMs: number;
  /** a rate-limited agent: run the step again at this time (epoch ms) instead of failing it */
  retryAt?: number;
}

export interface StepExecutor {
  /**
   * Run the job. Aborting `signal` kills the whole process group (TERM, then KILL after the grace
   * period) and resolves with outcome `cancelled`. Never rejects for a failing command.
   */
  execute(job: StepJob, sink: LogSink, signal: AbortSignal): Promise<StepExecResult>;
}

/** Records the OS processes a runner starts, so a later incarnation can end orphans. */
export interface ProcessRecord {
  pid: number;
  /** process group id (== pid for a detached child) */
  pgid: number;
  /** start time of the process from /proc/<pid>/stat, to tell a reused pid apart */
  startTime: string | null;
  stepId: string;
  attempt: number;
}

export interface ProcessRegistry {
  record(p: ProcessRecord): Promise<void>;
  remove(pid: number): Promise<void>;
}
