import { createHmac, timingSafeEqual } from 'node:crypto';

export type WebhookCheck = { ok: true } | { ok: false; reason: string };

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the value of Cursor's `X-Webhook-Signature`. */
export function signCursorWebhook(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Checks a Cursor webhook's `X-Webhook-Signature` against the raw body (before any JSON parsing),
 * in constant time. Rejects a missing or malformed header and an empty secret.
 */
export function verifyCursorWebhook(
  rawBody: string | Buffer,
  signatureHeader: string | string[] | undefined,
  secret: string,
): WebhookCheck {
  if (secret === '')
    return { ok: false, reason: 'no webhook secret configured: set the Cursor webhook secret' };
  const header = Array.isArray(signatureHeader) ? signatureHeader[0] : signatureHeader;
  if (header === undefined || header === '')
    return { ok: false, reason: 'missing X-Webhook-Signature header' };
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (m?.[1] === undefined)
    return { ok: false, reason: 'malformed X-Webhook-Signature: expected sha256=<64 hex digits>' };
  const given = Buffer.from(m[1].toLowerCase(), 'hex');
  const expected = Buffer.from(signCursorWebhook(rawBody, secret).slice('sha256='.length), 'hex');
  if (!timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'X-Webhook-Signature does not match the body: check the webhook secret' };
  }
  return { ok: true };
}
