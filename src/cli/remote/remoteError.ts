import { isBatonError } from '../../domain/errors.ts';
import { EXIT, type ExitCode } from '../exitCodes.ts';

/**
 * Failures that only exist when the CLI talks to a server. The server's problems that carry an
 * engine error code (not_found, conflict, unauthenticated…) become BatonErrors instead, so they
 * print and exit as they do in local mode.
 */
export type RemoteErrorCode =
  | 'unreachable'
  | 'unavailable'
  | 'server_error'
  | 'bad_response'
  | 'client_error'
  | 'timeout'
  | 'interrupted';

export interface RemoteErrorOptions {
  hint?: string | undefined;
  status?: number | undefined;
  requestId?: string | undefined;
  field?: string | undefined;
  /** worth retrying while following (connection lost, 502/503/504) */
  transient?: boolean;
  /** a few words for the "reconnecting…" note (ECONNREFUSED, 503…) */
  reason?: string | undefined;
  cause?: unknown;
}

const EXITS: Record<RemoteErrorCode, ExitCode> = {
  unreachable: EXIT.unavailable,
  unavailable: EXIT.unavailable,
  server_error: EXIT.unavailable,
  bad_response: EXIT.unavailable,
  timeout: EXIT.unavailable,
  client_error: EXIT.usage,
  interrupted: EXIT.interrupted,
};

/** An error talking to a Baton server: printed as `error: …` / `hint: …`, with its own exit code. */
export class RemoteError extends Error {
  readonly hint: string | undefined;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly field: string | undefined;
  readonly transient: boolean;
  readonly reason: string;

  constructor(
    readonly code: RemoteErrorCode,
    message: string,
    o: RemoteErrorOptions = {},
  ) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'RemoteError';
    this.hint = o.hint;
    this.status = o.status;
    this.requestId = o.requestId;
    this.field = o.field;
    this.transient = o.transient ?? false;
    this.reason = o.reason ?? message;
  }

  get exitCode(): ExitCode {
    return EXITS[this.code];
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.requestId === undefined ? {} : { request_id: this.requestId }),
    };
  }
}

/** Whether a failed call may succeed if tried again (the server restarting, a dropped connection). */
export function isTransient(e: unknown): boolean {
  if (e instanceof RemoteError) return e.transient;
  return isBatonError(e, 'rate_limited') || isBatonError(e, 'database_unavailable');
}

/** A few words on why a call failed, for notes. */
export function shortReason(e: unknown): string {
  if (e instanceof RemoteError) return e.reason;
  return e instanceof Error ? e.message : String(e);
}
