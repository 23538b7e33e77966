import type { Millis } from '../../domain/records.ts';

/** When a rate limit resets: an absolute time, or a delay from when the message arrived. */
export interface ResetHint {
  reset_at?: Millis;
  retry_after_ms?: number;
}

const UNIT = String.raw`(milliseconds?|ms|minutes?|mins?|m|seconds?|secs?|s|hours?|hrs?|h|days?|d)(?![a-z])`;
const AMOUNT_RE = new RegExp(String.raw`(\d+(?:\.\d+)?)\s*${UNIT}`, 'gi');
const RELATIVE_RE = new RegExp(
  String.raw`\b(?:in|after|wait|retryDelay["']?\s*:\s*["']?)\s*((?:\d+(?:\.\d+)?\s*${UNIT}[\s,]*(?:and\s+)?)+)`,
  'i',
);
const ISO_RE = /(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?/;

/**
 * Reads a reset time out of a rate-limit message: `…limit reached|1763483205` (epoch seconds),
 * `"resetsAt": 1763483205`, an ISO time after "reset"/"try again"/"until", `Retry-After: 30`, or a
 * delay such as "try again in 4 days 3 hours" / "Please retry in 13.5s". Clock times without a date
 * or zone ("resets 3pm") are ambiguous and left out.
 */
export function parseResetTime(text: string): ResetHint {
  const pipe = /\|(\d{10})(?!\d)/.exec(text);
  if (pipe) return { reset_at: Number(pipe[1]) * 1000 };
  const epoch = /\breset(?:s|s_?at|_at|At|sAt)?["']?\s*[:=]\s*["']?(\d{10}|\d{13})(?!\d)/i.exec(text);
  if (epoch) {
    const n = Number(epoch[1]);
    return { reset_at: n < 1e12 ? n * 1000 : n };
  }
  const iso = /reset|try again|retry|until|available/i.test(text) ? ISO_RE.exec(text) : null;
  if (iso) {
    const zone = iso[3] === undefined ? 'Z' : iso[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    const at = Date.parse(`${iso[1]}T${iso[2]}${zone}`);
    if (Number.isFinite(at)) return { reset_at: at };
  }
  const after = /\bretry-after["']?\s*[:=]\s*["']?(\d+)(?![\d.])/i.exec(text);
  if (after) return { retry_after_ms: Number(after[1]) * 1000 };
  const relative = RELATIVE_RE.exec(text);
  if (relative?.[1] !== undefined) {
    const ms = durationMs(relative[1]);
    if (ms > 0) return { retry_after_ms: ms };
  }
  return {};
}

function durationMs(text: string): number {
  let total = 0;
  for (const [, amount = '0', unit = 's'] of text.matchAll(AMOUNT_RE)) {
    total += Number(amount) * unitMs(unit.toLowerCase());
  }
  return Math.round(total);
}

function unitMs(unit: string): number {
  if (unit === 'ms' || unit.startsWith('milli')) return 1;
  if (unit.startsWith('mi') || unit === 'm') return 60_000;
  if (unit.startsWith('s')) return 1000;
  if (unit.startsWith('h')) return 3_600_000;
  return 86_400_000;
}
