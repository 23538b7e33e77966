import type { ApiKind } from './ModelRequest.ts';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};
const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
};

/** The headers each vendor uses to say when to retry (all set; clients read the ones they know). */
export function rateLimitHeaders(retryAfterSec: number, now = Date.now()): Record<string, string> {
  const at = new Date(now + retryAfterSec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const secs = `${retryAfterSec}s`;
  return {
    'retry-after': String(Math.ceil(retryAfterSec)),
    'retry-after-ms': String(Math.round(retryAfterSec * 1000)),
    'anthropic-ratelimit-requests-remaining': '0',
    'anthropic-ratelimit-requests-reset': at,
    'anthropic-ratelimit-tokens-reset': at,
    'anthropic-ratelimit-input-tokens-reset': at,
    'anthropic-ratelimit-output-tokens-reset': at,
    'x-ratelimit-remaining-requests': '0',
    'x-ratelimit-reset-requests': secs,
    'x-ratelimit-reset-tokens': secs,
  };
}

/** An HTTP error in the API's own error shape (Anthropic, OpenAI or Google). */
export function apiErrorResponse(
  api: ApiKind,
  status: number,
  message: string,
  retryAfterSec?: number,
): HttpAnswer {
  const headers = retryAfterSec === undefined ? {} : rateLimitHeaders(retryAfterSec);
  switch (api) {
    case 'anthropic':
      return {
        status,
        headers: { ...headers, 'request-id': `req_model_server_${status}` },
        body: { type: 'error', error: { type: ANTHROPIC_TYPES[status] ?? 'api_error', message } },
      };
    case 'responses':
    case 'chat':
      return {
        status,
        headers,
        body: {
          error: {
            message,
            type:
              status === 429
                ? 'rate_limit_exceeded'
                : status < 500
                  ? 'invalid_request_error'
                  : 'server_error',
            param: null,
            code: status === 401 ? 'invalid_api_key' : null,
          },
        },
      };
    case 'gemini': {
      const details =
        retryAfterSec === undefined
          ? []
          : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSec}s` }];
      return {
        status,
        headers,
        body: { error: { code: status, message, status: GOOGLE_STATUS[status] ?? 'INTERNAL', details } },
      };
    }
  }
}
