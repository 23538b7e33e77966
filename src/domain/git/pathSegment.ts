import { BatonError } from '../errors.ts';

/** Letters, digits, `.`, `_` and `-`, starting with a letter, digit or `_`; ≤ 100 characters. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

/** True when `s` is usable as one directory name under Baton's data dir (no `/`, `..`, `.lock`). */
export function isSafePathSegment(s: string): boolean {
  return SEGMENT.test(s) && !s.includes('..') && !s.endsWith('.lock');
}

/** `s` when it is a safe path segment; otherwise an `invalid_input` error naming `what`. */
export function safePathSegment(s: string, what: string): string {
  if (isSafePathSegment(s)) return s;
  throw new BatonError(
    'invalid_input',
    `${what} "${s}" cannot be used as a directory name: use letters, digits, ".", "_" and "-" (at most 100, no "..")`,
    { field: what },
  );
}
