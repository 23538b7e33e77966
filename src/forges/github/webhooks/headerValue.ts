import type { IncomingHttpHeaders } from 'node:http';

/** A header's single value (the first of repeated ones), undefined when absent or empty. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

/** A header value fit for the deliveries table: printable ASCII, at most 200 characters. */
export function recordable(value: string | undefined): string | null {
  if (value === undefined) return null;
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
