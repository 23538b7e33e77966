import type { IncomingHttpHeaders } from 'node:http';
import type { ApiKind } from './ModelRequest.ts';

const header = (h: IncomingHttpHeaders, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Checks the key where each API carries it: Anthropic `x-api-key` (or a bearer token), OpenAI
 * `Authorization: Bearer`, Gemini `x-goog-api-key` (or `?key=`). Returns an error message or undefined.
 */
export function checkApiKey(
  api: ApiKind,
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  expected: string | undefined,
): string | undefined {
  if (expected === undefined) return undefined;
  const bearer = header(headers, 'authorization')?.replace(/^Bearer\s+/i, '');
  const given =
    api === 'anthropic'
      ? (header(headers, 'x-api-key') ?? bearer)
      : api === 'gemini'
        ? (header(headers, 'x-goog-api-key') ?? query.get('key') ?? undefined)
        : bearer;
  const where =
    api === 'anthropic' ? 'x-api-key' : api === 'gemini' ? 'x-goog-api-key' : 'Authorization: Bearer';
  if (given === undefined)
    return `no API key: send it in ${where} (the model server was started with an API key)`;
  if (given !== expected) return `invalid API key in ${where}: use the key the model server was started with`;
  return undefined;
}
