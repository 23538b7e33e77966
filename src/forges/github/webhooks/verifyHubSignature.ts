import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** `sha256=<hex HMAC-SHA256 of the raw body>`: GitHub's `X-Hub-Signature-256`. */
export function signHubPayload(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `X-Hub-Signature-256` against the raw body, before anything parses it, in constant time,
 * against every secret given (a rotation keeps the old one valid for a while). Every secret is
 * tried even after a match, so the time taken does not tell which one matched.
 */
export function verifyHubSignature(
  rawBody: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  headerName = 'X-Hub-Signature-256',
): SignatureCheck {
  if (header === undefined || header === '') return { ok: false, reason: `missing ${headerName} header` };
  const m = HEADER.exec(header.trim());
  if (m?.[1] === undefined) {
    return { ok: false, reason: `malformed ${headerName}: expected sha256=<64 hex digits>` };
  }
  return matchesAny(Buffer.from(m[1].toLowerCase(), 'hex'), secrets, (s) => signHubPayload(rawBody, s))
    ? { ok: true }
    : { ok: false, reason: `${headerName} does not match the body: check the webhook secret` };
}

/** Whether `given` (raw digest bytes) equals the digest `sign` makes with one of `secrets`. */
export function matchesAny(
  given: Buffer,
  secrets: readonly string[],
  sign: (secret: string) => string,
): boolean {
  let ok = false;
  for (const secret of secrets) {
    const expected = Buffer.from(sign(secret).slice('sha256='.length), 'hex');
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
