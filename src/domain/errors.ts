/**
 * Every error Baton raises carries a stable code, a `retryable` flag and an optional cause.
 * Only the HTTP layer maps codes to status codes; the CLI maps them to exit codes.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_workflow'
  | 'invalid_expression'
  | 'not_found'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'conflict'
  | 'invalid_state'
  | 'idempotency_mismatch'
  | 'lease_lost'
  | 'step_failed'
  | 'step_timeout'
  | 'output_too_large'
  | 'approval_rejected'
  | 'cancelled'
  | 'database_unavailable'
  | 'config_invalid'
  | 'internal';

export interface BatonErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  /** The offending field or path (`steps[2].needs`, `inputs.env`). */
  field?: string;
  /** What the caller can do about it. */
  hint?: string;
  details?: Record<string, unknown>;
}

export class BatonError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly field: string | undefined;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: BatonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BatonError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.field = options.field;
    this.hint = options.hint;
    this.details = options.details;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isBatonError(e: unknown, code?: ErrorCode): e is BatonError {
  return e instanceof BatonError && (code === undefined || e.code === code);
}

/** A serialisable error record as stored on steps, runs and attempts. */
export interface ErrorRecord {
  code: ErrorCode;
  message: string;
  retryable?: boolean;
  details?: Record<string, unknown>;
}

export function toErrorRecord(e: unknown): ErrorRecord {
  if (e instanceof BatonError) {
    return {
      code: e.code,
      message: e.message,
      retryable: e.retryable,
      ...(e.details ? { details: e.details } : {}),
    };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e), retryable: false };
}
