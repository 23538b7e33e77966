import { createHmac } from 'node:crypto';
import { matchesAny, type SignatureCheck } from './verifyHubSignature.ts';

/** A security webhook is refused when its timestamp is further than this from now, either way. */
export const SECURITY_REPLAY_WINDOW_MS = 5 * 60_000;

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`: the value of `X-Baton-Signature`. */
export function signSecurityPayload(timestamp: string, rawBody: Buffer | string, secret: string): string {
  const h = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody);
  return `sha256=${h.digest('hex')}`;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * Checks the security scanner's `X-Baton-Signature` (HMAC-SHA256 over `timestamp + "." + rawBody`,
 * in constant time, against every secret) and that `X-Baton-Timestamp` (unix seconds) is within
 * 5 minutes of `now`, in the past or the future: a captured request cannot be replayed later.
 */
export function verifySecuritySignature(
  rawBody: Buffer,
  headers: { timestamp: string | undefined; signature: string | undefined },
  secrets: readonly string[],
  now: number,
): SignatureCheck & { field?: string } {
  const { timestamp, signature } = headers;
  if (timestamp === undefined) {
    return { ok: false, reason: 'missing X-Baton-Timestamp header', field: 'X-Baton-Timestamp' };
  }
  if (!TIMESTAMP.test(timestamp)) {
    return {
      ok: false,
      reason: 'malformed X-Baton-Timestamp: expected unix seconds',
      field: 'X-Baton-Timestamp',
    };
  }
  if (signature === undefined) {
    return { ok: false, reason: 'missing X-Baton-Signature header', field: 'X-Baton-Signature' };
  }
  const m = SIGNATURE.exec(signature.trim());
  if (m?.[1] === undefined) {
    return {
      ok: false,
      reason: 'malformed X-Baton-Signature: expected sha256=<64 hex digits>',
      field: 'X-Baton-Signature',
    };
  }
  const given = Buffer.from(m[1].toLowerCase(), 'hex');
  if (!matchesAny(given, secrets, (s) => signSecurityPayload(timestamp, rawBody, s))) {
    return {
      ok: false,
      reason: 'X-Baton-Signature does not match the timestamp and body: check the webhook secret',
      field: 'X-Baton-Signature',
    };
  }
  const skew = now - Number(timestamp) * 1000;
  if (Math.abs(skew) > SECURITY_REPLAY_WINDOW_MS) {
    return {
      ok: false,
      reason: `X-Baton-Timestamp is ${Math.round(Math.abs(skew) / 1000)} s in the ${skew > 0 ? 'past' : 'future'}: outside the 300 s replay window`,
      field: 'X-Baton-Timestamp',
    };
  }
  return { ok: true };
}
