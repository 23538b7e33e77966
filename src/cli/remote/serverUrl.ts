import { BatonError } from '../../domain/errors.ts';

/**
 * The canonical form of a Baton server URL, used to talk to it and as its key in the credentials
 * file: `http(s)://host[:port][/base]` without a trailing slash (a trailing `/api/v1` is dropped too).
 * A bare `host:port` means `http://host:port`.
 */
export function normalizeServerUrl(raw: string): string {
  const given = raw.trim();
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `http://${given}`;
  const bad = (why: string, hint = 'e.g. --server http://127.0.0.1:3020') =>
    new BatonError('invalid_input', `server URL "${raw}" ${why}`, { field: 'server', hint });
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw bad('is not a URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad('must start with http:// or https://');
  if (u.username || u.password)
    throw bad('must not hold credentials', 'put the token in BATON_TOKEN or the credentials file');
  if (u.search || u.hash) throw bad('must not have a query or a fragment');
  const path = u.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${u.protocol}//${u.host}${path}`;
}

/** Whether the server is on this machine (a token sent to it in clear text stays on the host). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
