import type { ErrorCode } from '../domain/errors.ts';
import type { RunStatus } from '../domain/runStatus.ts';

/**
 * Exit codes of `baton` (BSD sysexits where one fits):
 *
 * | code | meaning |
 * | ---- | ------- |
 * | 0    | success; `run`: the run succeeded (or was only enqueued) |
 * | 1    | `run`: the run failed; `validate`: a file is invalid |
 * | 2    | `run`: the run was cancelled |
 * | 64   | usage error or invalid input (bad option, invalid workflow, invalid inputs) — EX_USAGE |
 * | 65   | the request conflicts with the current state (invalid_state, conflict, idempotency_mismatch) — EX_DATAERR |
 * | 69   | not found, or a service is unavailable (database, port in use) — EX_UNAVAILABLE |
 * | 70   | internal error — EX_SOFTWARE |
 * | 75   | rate limited: try again later — EX_TEMPFAIL |
 * | 77   | not signed in, or not allowed (401/403 from the server) — EX_NOPERM |
 * | 78   | invalid configuration — EX_CONFIG |
 * | 130  | interrupted (Ctrl-C) while following a run that keeps going |
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  cancelled: 2,
  usage: 64,
  dataErr: 65,
  unavailable: 69,
  software: 70,
  tempFail: 75,
  noPerm: 77,
  config: 78,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of a command that failed with a BatonError of `code`. */
export function exitCodeForError(code: ErrorCode): ExitCode {
  switch (code) {
    case 'invalid_input':
    case 'invalid_workflow':
    case 'invalid_expression':
      return EXIT.usage;
    case 'not_found':
    case 'database_unavailable':
      return EXIT.unavailable;
    case 'invalid_state':
    case 'conflict':
    case 'idempotency_mismatch':
      return EXIT.dataErr;
    case 'config_invalid':
      return EXIT.config;
    case 'unauthenticated':
    case 'forbidden':
      return EXIT.noPerm;
    case 'rate_limited':
      return EXIT.tempFail;
    case 'lease_lost':
    case 'step_failed':
    case 'step_timeout':
    case 'output_too_large':
    case 'approval_rejected':
    case 'cancelled':
    case 'internal':
      return EXIT.software;
  }
}

/** The exit code of `baton run` once the run is terminal. */
export function exitCodeForRun(status: RunStatus): ExitCode {
  switch (status) {
    case 'succeeded':
      return EXIT.ok;
    case 'failed':
      return EXIT.failed;
    case 'cancelled':
      return EXIT.cancelled;
    case 'queued':
    case 'running':
    case 'awaiting_approval':
    case 'paused':
      return EXIT.ok;
  }
}
