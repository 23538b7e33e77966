import type { Millis } from '../../../domain/records.ts';

/** `2s`, `1m30s`, `500ms`, `6m0.5s` (OpenAI's x-ratelimit-reset-*) in ms. */
function durationMs(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0) return undefined;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return parts.reduce((sum, [, n = '0', u = 's']) => sum + Number(n) * (unit[u] ?? 1000), 0);
}

/**
 * When a 429 says to try again: `retry-after-ms`, `retry-after` (seconds or an HTTP date),
 * `x-ratelimit-reset-requests` / `-tokens` (durations), `x-ratelimit-reset` (epoch seconds).
 */
export function rateLimitReset(headers: Headers, now: Millis = Date.now()): Millis | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return now + ms;
  const after = headers.get('retry-after');
  if (after !== null) {
    const secs = Number(after);
    if (Number.isFinite(secs)) return now + secs * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return date;
  }
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((h) => durationMs(headers.get(h) ?? ''))
    .filter((d): d is number => d !== undefined);
  if (resets.length > 0) return now + Math.max(...resets);
  const epoch = Number(headers.get('x-ratelimit-reset') ?? NaN);
  if (Number.isFinite(epoch) && epoch > 0) return epoch < 1e12 ? epoch * 1000 : epoch;
  return undefined;
}
