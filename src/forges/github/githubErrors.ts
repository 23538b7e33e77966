import { BatonError } from '../../domain/errors.ts';

/** What an Octokit `RequestError` carries (duck-typed: the class lives in a transitive package). */
export interface GithubRequestError {
  status: number;
  message: string;
  response?: { headers: Record<string, string | number | undefined>; data?: unknown };
}

export function isRequestError(e: unknown): e is GithubRequestError {
  return (
    e instanceof Error && typeof (e as { status?: unknown }).status === 'number' && 'request' in (e as object)
  );
}

/** GitHub's validation messages (`errors[].message`) and the top-level message of a failed call. */
export function githubMessages(e: GithubRequestError): string[] {
  const data = e.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const out: string[] = [];
  if (typeof data?.message === 'string') out.push(data.message);
  if (Array.isArray(data?.errors))
    for (const x of data.errors as unknown[]) {
      if (typeof x === 'string') out.push(x);
      else if (typeof x === 'object' && x !== null) {
        const m = (x as { message?: unknown; field?: unknown; code?: unknown }).message;
        if (typeof m === 'string') out.push(m);
        else
          out.push(`${String((x as { field?: unknown }).field)} ${String((x as { code?: unknown }).code)}`);
      }
    }
  return out;
}

const header = (e: GithubRequestError, name: string): string | undefined => {
  const v = e.response?.headers[name];
  return v === undefined ? undefined : String(v);
};

/** A rate limit GitHub answered (primary: `x-ratelimit-remaining: 0`; secondary: `retry-after` or the message). */
export function rateLimitOf(e: GithubRequestError): { resetAt: Date } | null {
  if (e.status !== 403 && e.status !== 429) return null;
  const retryAfter = Number(header(e, 'retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0)
    return { resetAt: new Date(Date.now() + retryAfter * 1000) };
  if (header(e, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(e, 'x-ratelimit-reset'));
    return { resetAt: new Date(Number.isFinite(reset) ? reset * 1000 : Date.now() + 60_000) };
  }
  if (e.status === 429 || /rate limit/i.test(e.message)) return { resetAt: new Date(Date.now() + 60_000) };
  return null;
}

/**
 * A failed GitHub call as a BatonError: rate limits and 5xx are retryable (naming when to retry),
 * 401/403/404/409/422 are not. `what` names the operation (`open a pull request on acme/app`).
 */
export function toBatonError(e: unknown, what: string): unknown {
  if (e instanceof BatonError) return e;
  if (!isRequestError(e)) {
    if (e instanceof Error && e.name === 'AbortError') return e;
    return new BatonError(
      'internal',
      `GitHub could not be reached to ${what}: ${String((e as Error)?.message ?? e)}`,
      {
        cause: e,
        retryable: true,
      },
    );
  }
  const detail = githubMessages(e).join('; ') || e.message;
  const limit = rateLimitOf(e);
  if (limit)
    return new BatonError(
      'rate_limited',
      `GitHub's rate limit stopped the call to ${what}; it resets at ${limit.resetAt.toISOString()}`,
      { cause: e, retryable: true, details: { resetAt: limit.resetAt.toISOString() } },
    );
  const opts = { cause: e, details: { status: e.status } };
  switch (e.status) {
    case 401:
      return new BatonError('unauthenticated', `GitHub refused the credentials to ${what}: ${detail}`, {
        ...opts,
        hint: 'check BATON_GITHUB_TOKEN or the GitHub App id and private key',
      });
    case 403:
      return new BatonError('forbidden', `GitHub forbids Baton to ${what}: ${detail}`, {
        ...opts,
        hint: 'grant the GitHub App (or token) the permission this needs',
      });
    case 404:
      return new BatonError('not_found', `GitHub found nothing to ${what}: ${detail}`, {
        ...opts,
        hint: 'is the repository right, and is the GitHub App installed on it (or the token allowed)?',
      });
    case 409:
      return new BatonError('conflict', `GitHub refused to ${what}: ${detail}`, opts);
    case 405:
    case 422:
      return new BatonError('invalid_state', `GitHub refused to ${what}: ${detail}`, opts);
    default:
      return new BatonError(
        e.status >= 500 ? 'internal' : 'invalid_input',
        `GitHub failed to ${what} (${e.status}): ${detail}`,
        { ...opts, retryable: e.status >= 500 },
      );
  }
}
