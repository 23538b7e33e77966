import { parseResetTime } from './parseResetTime.ts';
import type { ErrorData, RateLimitedData } from './transcriptEvent.ts';

export interface ApiErrorInput {
  message: string;
  /** HTTP status when the CLI gave it apart from the text */
  status?: number | undefined;
  /** the CLI's error code or type (`rate_limit`, `authentication_failed`, `RESOURCE_EXHAUSTED`…) */
  code?: string | undefined;
  warning?: boolean | undefined;
  attempt?: number | undefined;
}

const RATE_LIMIT_CODES =
  /^(?:rate_limit(?:_error|ed)?|usage_limit(?:_reached|_exceeded)?|resource_exhausted|too_many_requests)$/i;
const RATE_LIMIT_TEXT =
  /rate[ _-]?limit|usage limit|too many requests|quota (?:exceeded|exhausted)|resource[ _]?exhausted|hit your (?:usage )?limit/i;
const TRANSIENT_TEXT =
  /overloaded|timed? ?out|timeout|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|socket hang up|stream disconnected|network error|temporarily unavailable|reconnecting/i;

/**
 * One model-API failure as a transcript event: `rate_limited` for 429 / rate and usage limits (with
 * the reset time when the text tells it), otherwise `error` — retryable for 408/425/5xx/overload and
 * network trouble, not for other 4xx (bad request, authentication, permission).
 */
export function classifyApiError(input: ApiErrorInput): ErrorData | RateLimitedData {
  const status = input.status ?? extractHttpStatus(input.message);
  const code = input.code;
  if (
    status === 429 ||
    (code !== undefined && RATE_LIMIT_CODES.test(code)) ||
    RATE_LIMIT_TEXT.test(input.message)
  ) {
    const limited: RateLimitedData = { kind: 'rate_limited', message: input.message };
    if (status !== undefined) limited.status = status;
    return { ...limited, ...parseResetTime(input.message) };
  }
  const error: ErrorData = {
    kind: 'error',
    message: input.message,
    retryable: isRetryable(status, input.message),
  };
  if (status !== undefined) error.status = status;
  if (code !== undefined) error.code = code;
  if (input.warning) error.warning = true;
  if (input.attempt !== undefined) error.attempt = input.attempt;
  return error;
}

export function isRetryable(status: number | undefined, message: string): boolean {
  if (status !== undefined) return status === 408 || status === 425 || status >= 500;
  return TRANSIENT_TEXT.test(message);
}

/**
 * An HTTP status mentioned in an error text: `API Error: 400 …`, `unexpected status 401 Unauthorized`,
 * `{"error":{"code":400,…}}`, `status: 503`, `error 429`.
 */
export function extractHttpStatus(text: string): number | undefined {
  const m =
    /\b(?:status|code|error|http)["']?\s*(?:code)?\s*[:=]?\s*["']?([45]\d\d)(?![\d.])/i.exec(text) ??
    /\b([45]\d\d)\s+(?:Bad Request|Unauthorized|Forbidden|Not Found|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout|Overloaded)\b/i.exec(
      text,
    );
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
