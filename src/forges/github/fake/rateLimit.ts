import type { Principal } from './state.ts';

/** A failure `failNext` scripts for the next matching REST request. */
export interface ScriptedFailure {
  /** match only this method (any when absent) */
  method?: string;
  /** match this path exactly, or by pattern (any when absent) */
  path?: string | RegExp;
  /**
   * 403 without `retryAfterSec`: the primary rate limit (`x-ratelimit-remaining: 0`);
   * 403 with `retryAfterSec`, or 429: a secondary rate limit with `retry-after`;
   * anything else: that status with GitHub's generic message.
   */
  status: number;
  retryAfterSec?: number;
  /** epoch seconds for `x-ratelimit-reset` (default now + 60) */
  rateLimitReset?: number;
  /** how many matching requests fail (default 1) */
  times?: number;
  /** the answer's `message` (default GitHub's generic one: "Server Error", "Scripted failure") */
  message?: string;
  /** the answer's `errors`, as GitHub's 422s carry them (`[{resource, code, message}]` or strings) */
  errors?: unknown[];
}

export interface LimitAnswer {
  status: number;
  headers: Record<string, string>;
  body: { message: string; documentation_url: string; status?: string; errors?: unknown[] };
}

interface Bucket {
  limit: number;
  used: number;
  /** epoch seconds */
  reset: number;
}

const PRIMARY_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const SECONDARY_DOCS =
  'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';

const who = (p: Principal, ip: string): string =>
  p.kind === 'user'
    ? `user ID ${p.user.id}`
    : p.kind === 'installation'
      ? `installation ID ${p.installation.id}`
      : p.kind === 'app'
        ? `app ID ${p.app.id}`
        : ip;

const bucketKey = (p: Principal, ip: string): string =>
  p.kind === 'user'
    ? `u:${p.user.id}`
    : p.kind === 'installation'
      ? `i:${p.installation.id}`
      : p.kind === 'app'
        ? `a:${p.app.id}`
        : `ip:${ip}`;

/** GitHub's primary rate limit per caller (hourly window) plus scripted failures. */
export class RateLimits {
  readonly failures: ScriptedFailure[] = [];
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: { authenticated: number; anonymous: number },
    private readonly windowSec = 3600,
  ) {}

  /** Counts one request; the headers every response carries, and whether the limit was already spent. */
  take(
    p: Principal,
    ip: string,
    nowSec = Math.floor(Date.now() / 1000),
  ): { headers: Record<string, string>; exhausted: boolean } {
    const key = bucketKey(p, ip);
    let b = this.buckets.get(key);
    if (!b || b.reset <= nowSec) {
      b = {
        limit: p.kind === 'anonymous' ? this.limits.anonymous : this.limits.authenticated,
        used: 0,
        reset: nowSec + this.windowSec,
      };
      this.buckets.set(key, b);
    }
    const exhausted = b.used >= b.limit;
    if (!exhausted) b.used++;
    return { headers: this.headers(b.limit, b.limit - b.used, b.reset, b.used), exhausted };
  }

  headers(limit: number, remaining: number, reset: number, used: number): Record<string, string> {
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core',
    };
  }

  /** Takes the first scripted failure matching this request, if any. */
  scripted(method: string, path: string): ScriptedFailure | undefined {
    const i = this.failures.findIndex(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()) &&
        (f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    const f = this.failures[i];
    if (!f) return undefined;
    const left = (f.times ?? 1) - 1;
    if (left <= 0) this.failures.splice(i, 1);
    else f.times = left;
    return f;
  }

  /** GitHub's answer for an exhausted primary limit. */
  primary(p: Principal, ip: string, requestId: string, reset: number, limit: number): LimitAnswer {
    return {
      status: 403,
      headers: this.headers(limit, 0, reset, limit),
      body: {
        message: `API rate limit exceeded for ${who(p, ip)}. If you reach out to GitHub Support for help, please include the request ID ${requestId} and timestamp ${new Date()
          .toISOString()
          .replace('T', ' ')
          .replace(/\.\d+Z$/, ' UTC')}.`,
        documentation_url: PRIMARY_DOCS,
      },
    };
  }

  /** GitHub's answer for a scripted failure (the headers merge over the usual ones). */
  answer(
    f: ScriptedFailure,
    p: Principal,
    ip: string,
    requestId: string,
    base: Record<string, string>,
  ): LimitAnswer {
    const nowSec = Math.floor(Date.now() / 1000);
    const reset = f.rateLimitReset ?? nowSec + 60;
    if (f.status === 403 && f.retryAfterSec === undefined) {
      const limit = Number(base['x-ratelimit-limit'] ?? '5000');
      return this.primary(p, ip, requestId, reset, limit);
    }
    if (f.status === 403 || f.status === 429) {
      return {
        status: f.status,
        headers: { ...base, 'retry-after': String(f.retryAfterSec ?? 60) },
        body: {
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          documentation_url: SECONDARY_DOCS,
        },
      };
    }
    return {
      status: f.status,
      headers: {
        ...base,
        ...(f.retryAfterSec !== undefined ? { 'retry-after': String(f.retryAfterSec) } : {}),
      },
      body: {
        message: f.message ?? (f.status >= 500 ? 'Server Error' : 'Scripted failure'),
        documentation_url: 'https://docs.github.com/rest',
        status: String(f.status),
        ...(f.errors ? { errors: f.errors } : {}),
      },
    };
  }
}
