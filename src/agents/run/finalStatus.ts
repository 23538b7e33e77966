import type { Millis } from '../../domain/records.ts';
import type { TranscriptSummary } from '../transcript/transcriptSummary.ts';
import type { Stop } from './runGuards.ts';

export interface ExitFacts {
  binary: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
  /** a failure to start or read the process */
  spawnError: string | null;
}

/** The run's status and its reason, from a hard stop if there was one, else what the CLI reported. */
export function finalStatus(
  stop: Stop | null,
  s: TranscriptSummary,
  exit: ExitFacts,
  rateLimitFallbackAt: Millis,
): Stop {
  if (stop) return stop;
  if (exit.spawnError !== null) return { status: 'crashed', reason: exit.spawnError };
  if (s.rate_limit && s.status !== 'success') {
    return {
      status: 'rate_limited',
      reason: `rate limited: ${s.rate_limit.message}`,
      rateLimitResetAt: s.rate_limit.reset_at ?? rateLimitFallbackAt,
    };
  }
  switch (s.status) {
    case 'success':
      return { status: 'succeeded', reason: 'the agent finished' };
    case 'max_budget':
      return { status: 'budget_exceeded', reason: 'the CLI stopped at its cost budget' };
    case 'max_turns':
      return { status: 'budget_exceeded', reason: 'the CLI stopped at its turn limit' };
    case 'error':
      return { status: 'failed', reason: s.last_error ?? 'the agent reported an error' };
    case 'incomplete':
      break;
  }
  const how =
    exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${String(exit.exitCode)}`;
  const tail = exit.stderrTail.trim();
  const reason = `${exit.binary} ${how} without a result${tail === '' ? '' : `; stderr: ${tail}`}`;
  return exit.exitCode === 0 ? { status: 'failed', reason } : { status: 'crashed', reason };
}
