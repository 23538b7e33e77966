import { describe, expect, it } from 'vitest';
import { classifyApiError, extractHttpStatus } from './classifyApiError.ts';
import { parseResetTime } from './parseResetTime.ts';

describe('classifyApiError', () => {
  it.each([
    ['API Error: 400 fake error 400', undefined, 400, false],
    [
      'unexpected status 401 Unauthorized: fake error 401, url: http://127.0.0.1:8788/v1/responses',
      undefined,
      401,
      false,
    ],
    [
      '[API Error: {"error":{"code":400,"message":"bad","status":"INVALID_ARGUMENT"}}]',
      undefined,
      400,
      false,
    ],
    ['upstream said 503 Service Unavailable', undefined, 503, true],
    ['whatever', 529, 529, true],
    ['Request timed out', undefined, undefined, true],
    ['stream disconnected before completion', undefined, undefined, true],
    ['permission denied', undefined, undefined, false],
  ] as const)('%s → error %s retryable=%s', (message, status, expected, retryable) => {
    const e = classifyApiError({ message, status });
    expect(e.kind).toBe('error');
    if (e.kind !== 'error') return;
    expect(e.status).toBe(expected);
    expect(e.retryable).toBe(retryable);
  });

  it('turns 429, rate-limit codes and usage-limit texts into rate_limited', () => {
    expect(classifyApiError({ message: 'slow down', status: 429 })).toEqual({
      kind: 'rate_limited',
      message: 'slow down',
      status: 429,
    });
    expect(classifyApiError({ message: 'x', code: 'rate_limit' }).kind).toBe('rate_limited');
    expect(
      classifyApiError({ message: "You've hit your usage limit. Try again in 2 hours 30 minutes." }),
    ).toEqual({
      kind: 'rate_limited',
      message: "You've hit your usage limit. Try again in 2 hours 30 minutes.",
      retry_after_ms: 9_000_000,
    });
    expect(classifyApiError({ message: 'Claude AI usage limit reached|1763483205' })).toMatchObject({
      kind: 'rate_limited',
      reset_at: 1_763_483_205_000,
    });
  });

  it('keeps code, warning and attempt', () => {
    expect(
      classifyApiError({
        message: 'm',
        code: 'authentication_failed',
        status: 401,
        warning: true,
        attempt: 2,
      }),
    ).toEqual({
      kind: 'error',
      message: 'm',
      status: 401,
      code: 'authentication_failed',
      retryable: false,
      warning: true,
      attempt: 2,
    });
  });

  it('does not take a number for a status when nothing says it is one', () => {
    expect(extractHttpStatus('wrote 404 lines')).toBeUndefined();
    expect(extractHttpStatus('command failed with exit code 127')).toBeUndefined();
    expect(extractHttpStatus('error code: 502')).toBe(502);
  });
});

describe('parseResetTime', () => {
  it.each([
    ['usage limit reached|1763483205', { reset_at: 1_763_483_205_000 }],
    ['{"resetsAt": 1763483205}', { reset_at: 1_763_483_205_000 }],
    ['limit resets at 2026-11-22T05:00:00Z', { reset_at: Date.UTC(2026, 10, 22, 5) }],
    ['try again after 2026-11-22 05:00:00 +01:00', { reset_at: Date.UTC(2026, 10, 22, 4) }],
    ['Retry-After: 30', { retry_after_ms: 30_000 }],
    ['Please retry in 13.5s.', { retry_after_ms: 13_500 }],
    ['"retryDelay": "7s"', { retry_after_ms: 7000 }],
    ['try again in 4 days 3 hours 2 minutes', { retry_after_ms: ((4 * 24 + 3) * 60 + 2) * 60_000 }],
    ['resets in 1h30m', { retry_after_ms: 5_400_000 }],
    ['resets 3pm (Europe/Berlin)', {}],
    ['rate limited', {}],
  ])('%s', (text, hint) => {
    expect(parseResetTime(text)).toEqual(hint);
  });
});
