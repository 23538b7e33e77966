import type { Millis } from '../../../domain/records.ts';
import type { ErrorData, RateLimitedData } from '../../transcript/transcriptEvent.ts';
import type { Stop } from '../runGuards.ts';
import { rateLimitReset } from './rateLimitReset.ts';

export interface ApiFacts {
  /** the API's name for messages (`Jules`, `Cursor`, `the OpenAI-compatible API`) */
  api: string;
  /** where the key comes from, for a 401 (`the jules endpoint's apiKey`) */
  keyHint: string;
  /** reset time assumed for a 429 without reset headers */
  fallbackResetAt: Millis;
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** status and headers of an `HttpError` or an `openai` SDK `APIError` (duck-typed) */
function httpFacts(e: unknown): { status: number; headers: Headers } | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { status, headers } = e as { status?: unknown; headers?: unknown };
  if (typeof status !== 'number') return undefined;
  return { status, headers: headers instanceof Headers ? headers : new Headers() };
}

/** A failed API call as the stop that ends the run, and the transcript event that says why. */
export function errorStop(e: unknown, f: ApiFacts): { stop: Stop; event: ErrorData | RateLimitedData } {
  const message = errorMessage(e);
  const http = httpFacts(e);
  if (http?.status === 429) {
    const resetAt = rateLimitReset(http.headers) ?? f.fallbackResetAt;
    return {
      stop: {
        status: 'rate_limited',
        reason: `rate limited by ${f.api}: ${message}`,
        rateLimitResetAt: resetAt,
      },
      event: { kind: 'rate_limited', message, status: 429, reset_at: resetAt },
    };
  }
  if (http?.status === 401 || http?.status === 403) {
    const reason = `${f.api} rejected the API key (HTTP ${http.status}): set a valid key in ${f.keyHint}; ${message}`;
    return {
      stop: { status: 'failed', reason },
      event: { kind: 'error', message: reason, status: http.status, code: 'auth', retryable: false },
    };
  }
  const retryable = http === undefined || http.status >= 500 || http.status === 408;
  return {
    stop: { status: 'failed', reason: message },
    event: {
      kind: 'error',
      message,
      ...(http === undefined ? {} : { status: http.status }),
      retryable,
    },
  };
}
