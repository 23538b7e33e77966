import { HttpError } from './httpError.ts';

export interface JsonCall {
  /** the API's name, for messages (`Jules`, `Cursor`) */
  api: string;
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  signal: AbortSignal;
}

/**
 * One JSON request: throws `HttpError` on a non-2xx status, the abort reason when the signal fires,
 * and a clear error when the API cannot be reached or answers something that is not JSON.
 */
export async function callJson(c: JsonCall): Promise<unknown> {
  const what = `${c.method} ${new URL(c.url).pathname}`;
  let res: Response;
  try {
    res = await fetch(c.url, {
      method: c.method,
      headers: {
        accept: 'application/json',
        ...(c.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...c.headers,
      },
      ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
      signal: c.signal,
    });
  } catch (e) {
    if (c.signal.aborted) throw e;
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : String(e);
    throw new Error(
      `cannot reach ${c.api} at ${c.url} (${cause}): check the endpoint's base URL and the network`,
    );
  }
  const text = await res.text();
  if (!res.ok) throw new HttpError(c.api, res.status, res.headers, text, what);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${c.api} ${what} answered something that is not JSON: ${text.slice(0, 200)}`);
  }
}
