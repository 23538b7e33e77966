import type { Millis } from '../../domain/records.ts';
import type { TranscriptSummary } from '../transcript/transcriptSummary.ts';
import type { TranscriptEvent } from '../transcript/transcriptEvent.ts';

export type AgentRunStatus =
  | 'succeeded'
  | 'failed'
  | 'budget_exceeded'
  | 'stalled'
  | 'looping'
  | 'rate_limited'
  | 'cancelled'
  | 'timed_out'
  | 'crashed';

/** Hard stops: reaching one kills the CLI's process group. All optional. */
export interface AgentRunLimits {
  /** input + output tokens */
  maxTokens?: number;
  /** USD, when the CLI reports cost */
  maxCostUsd?: number;
  /** wall time from the start */
  maxWallMs?: number;
  /** model turns */
  maxTurns?: number;
  /** no stdout event for this long */
  stallMs?: number;
  /** this many identical tool calls in a row (default 5, the aggregator's) */
  loopThreshold?: number;
  /** a rate limit that resets later than this from now stops the run at once (default 120 s) */
  maxRateLimitWaitMs?: number;
}

export interface AgentRunOptions {
  limits?: AgentRunLimits;
  /** each transcript event, in order (the storage / streaming sink); a throw stops the run */
  onEvent?: (event: TranscriptEvent) => void;
  /** between SIGTERM and SIGKILL (default 5000) */
  killGraceMs?: number;
  /** the server's env: where PATH and BATON_<RUNTIME>_BIN are read (default process.env); never passed on */
  hostEnv?: NodeJS.ProcessEnv;
  /** the binary to run, instead of resolving it */
  binary?: string;
  /** extra non-secret variables for the child (proxies, test knobs); the adapter's own win */
  extraEnv?: Record<string, string>;
  /** seq of the first event (to continue a transcript) */
  startSeq?: number;
  /** reset time assumed for a rate limit that did not say (default 60 s from now) */
  rateLimitFallbackMs?: number;
}

export interface AgentRunResult {
  status: AgentRunStatus;
  /** the cause, in words */
  reason: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** the CLI's pid, also its process group id (null when it never started) */
  pid: number | null;
  /** to resume the session in a later attempt */
  sessionId: string | null;
  summary: TranscriptSummary;
  /** for `rate_limited`: when to try again */
  rateLimitResetAt?: Millis;
  /** the end of stderr (redacted) */
  stderrTail: string;
  durationMs: number;
}
