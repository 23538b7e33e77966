import { connectionError, errorFromResponse } from './problemError.ts';
import { RemoteError } from './remoteError.ts';

export interface HttpClientOptions {
  /** the normalized server URL (see normalizeServerUrl) */
  server: string;
  token: string | undefined;
  userAgent: string;
  /** aborts every call (Ctrl-C) */
  signal: AbortSignal;
  /** per request (not for streams) */
  timeoutMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

export interface JsonResponse<T> {
  status: number;
  body: T;
}

const API = '/api/v1';

/**
 * Calls the `/api/v1` routes of one Baton server with Node's fetch: bearer token, JSON in and out,
 * a timeout, abort on Ctrl-C, redirects refused (a token is never sent elsewhere), and every failure
 * turned into the CLI's errors (see problemError.ts).
 */
export class HttpClient {
  readonly server: string;
  private readonly timeoutMs: number;

  constructor(private readonly o: HttpClientOptions) {
    this.server = o.server;
    this.timeoutMs = o.timeoutMs ?? 30_000;
  }

  get signal(): AbortSignal {
    return this.o.signal;
  }

  async json<T>(method: string, path: string, r: RequestOptions = {}): Promise<JsonResponse<T>> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const res = await this.send(method, path, r, 'application/json', timeout);
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw this.failure(e, r.signal, timeout);
    }
    if (!res.ok) throw errorFromResponse(res, text, this.context(method, path));
    try {
      return { status: res.status, body: JSON.parse(text) as T };
    } catch {
      throw new RemoteError(
        'bad_response',
        `${this.server} answered ${method} ${path} with something not JSON`,
        {
          hint: 'is --server / BATON_SERVER the address of a Baton server?',
        },
      );
    }
  }

  /** A long-lived response (the event stream): no timeout; the caller reads and cancels the body. */
  async open(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const res = await this.send('GET', path, { headers, signal }, 'text/event-stream', undefined);
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw errorFromResponse(res, text, this.context('GET', path));
    }
    return res;
  }

  private async send(
    method: string,
    path: string,
    r: RequestOptions,
    accept: string,
    timeout: AbortSignal | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      accept,
      'user-agent': this.o.userAgent,
      ...(this.o.token ? { authorization: `Bearer ${this.o.token}` } : {}),
      ...(r.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...r.headers,
    };
    const signals = [this.o.signal, r.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    try {
      return await fetch(this.url(path, r.query), {
        method,
        headers,
        ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
        signal: AbortSignal.any(signals),
        redirect: 'manual',
      });
    } catch (e) {
      throw this.failure(e, r.signal, timeout);
    }
  }

  private url(path: string, query: RequestOptions['query']): string {
    const u = new URL(`${this.server}${API}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  private context(method: string, path: string) {
    return { server: this.server, method, path: `${API}${path}`, tokenSent: Boolean(this.o.token) };
  }

  private failure(e: unknown, signal: AbortSignal | undefined, timeout: AbortSignal | undefined): Error {
    if (this.o.signal.aborted || signal?.aborted) return new RemoteError('interrupted', 'interrupted');
    if (timeout?.aborted) {
      return new RemoteError(
        'timeout',
        `Baton at ${this.server} did not answer in ${this.timeoutMs / 1000} s`,
        {
          transient: true,
          reason: 'timeout',
          hint: 'the server may be overloaded; retry later',
        },
      );
    }
    return connectionError(e, this.server);
  }
}

/** A path segment (run ids, step ids, workflow names), escaped. */
export function seg(s: string): string {
  return encodeURIComponent(s);
}
