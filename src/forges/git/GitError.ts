import { BatonError } from '../../domain/errors.ts';
import { classifyGitFailure } from '../../domain/git/classifyGitFailure.ts';
import { redactGitText } from '../../domain/git/redactGitText.ts';

/** Why a git command failed: a non-zero exit, our timeout, the caller's abort, too much output, or no git. */
export type GitFailureKind = 'exit' | 'timeout' | 'aborted' | 'output_too_large' | 'spawn';

export interface GitErrorInit {
  kind: GitFailureKind;
  /** the argv after `git` (redacted before it is stored) */
  args: readonly string[];
  cwd: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  cause?: unknown;
  /** a detail for the message (the abort reason, the limit…) */
  detail?: string;
}

/**
 * A failed `git` run. `command` and `stderrTail` are redacted (no tokens). `retryable` is true for
 * transient network/forge failures and for timeouts; an abort is `cancelled`, never retryable.
 */
export class GitError extends BatonError {
  readonly kind: GitFailureKind;
  readonly command: string;
  readonly exitCode: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  readonly stderrTail: string;

  constructor(init: GitErrorInit) {
    const command = redactGitText(['git', ...init.args].join(' '));
    const stderrTail = redactGitText(tail(init.stderr.trim(), 2000));
    const failure = classifyGitFailure(init.stderr);
    const retryable = init.kind === 'timeout' || (init.kind === 'exit' && failure.retryable);
    super(
      init.kind === 'aborted'
        ? 'cancelled'
        : init.kind === 'output_too_large'
          ? 'output_too_large'
          : 'internal',
      `${command} ${describe(init)} (in ${init.cwd})${stderrTail === '' ? '' : `: ${lastLines(stderrTail)}`}`,
      {
        cause: init.cause,
        retryable,
        hint: hintFor(init.kind, failure.hint),
        details: { command, exitCode: init.exitCode, kind: init.kind, stderrTail },
      },
    );
    this.name = 'GitError';
    this.kind = init.kind;
    this.command = command;
    this.exitCode = init.exitCode;
    this.exitSignal = init.signal;
    this.stderrTail = stderrTail;
  }
}

export function isGitError(e: unknown): e is GitError {
  return e instanceof GitError;
}

function describe(init: GitErrorInit): string {
  switch (init.kind) {
    case 'exit':
      return init.signal === null ? `failed (exit ${init.exitCode})` : `was killed by ${init.signal}`;
    case 'timeout':
      return `timed out after ${init.detail ?? '?'}`;
    case 'aborted':
      return `was aborted (${init.detail ?? 'aborted'})`;
    case 'output_too_large':
      return `printed more than ${init.detail ?? 'the limit'}`;
    case 'spawn':
      return `could not start (${init.detail ?? 'spawn failed'})`;
  }
}

function hintFor(kind: GitFailureKind, hint: string | undefined): string | undefined {
  if (kind === 'spawn') return 'install git (2.33 or later) and make sure it is on PATH';
  if (kind === 'timeout') return 'the remote or the disk is slow: retry, or raise the timeout';
  if (kind === 'output_too_large') return 'raise maxOutputBytes or narrow the command';
  return hint;
}

function tail(s: string, max: number): string {
  return s.length > max ? `…${s.slice(-max)}` : s;
}

function lastLines(s: string): string {
  return s.split('\n').slice(-3).join(' | ');
}
