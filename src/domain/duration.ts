import { BatonError } from './errors.ts';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/**
 * Parses a duration into milliseconds: `"250ms"`, `"30s"`, `"5m"`, `"1h30m"`, `"2d"`, `"1w"`, or a
 * number of seconds (`90`, `"90"`, `1.5`). Units must be in the string without spaces; the result is
 * rounded to a whole millisecond. Negative, empty and non-finite values are rejected.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw invalid(value, 'a duration must be a non-negative number of seconds');
    return Math.round(value * 1000);
  }
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!DURATION_RE.test(text)) {
    throw invalid(
      value,
      'expected a duration such as "30s", "5m", "1h30m", "2d", "250ms" or a number of seconds',
    );
  }
  let total = 0;
  for (const match of text.matchAll(PART_RE)) {
    const [, amount = '0', unit = 's'] = match;
    total += Number(amount) * (UNIT_MS[unit] ?? 1000);
  }
  return Math.round(total);
}

function invalid(value: unknown, why: string): BatonError {
  return new BatonError('invalid_input', `invalid duration ${JSON.stringify(value)}: ${why}`, {
    details: { value },
  });
}
