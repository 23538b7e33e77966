export type Decoded = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A verified body as a JSON object: strict UTF-8 and complete JSON (a truncated body fails here if
 * it got past the signature). GitHub's `application/x-www-form-urlencoded` content type carries the
 * same JSON in its `payload` field.
 */
export function decodeJsonObject(rawBody: Buffer, contentType: string | undefined): Decoded {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    return { ok: false, reason: 'the body is not valid UTF-8' };
  }
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) {
    const field = new URLSearchParams(text).get('payload');
    if (field === null) return { ok: false, reason: 'the form body has no payload field' };
    text = field;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `the body is not complete JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'the body must be a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
