import { setTimeout as sleep } from 'node:timers/promises';
import { createAppAuth, type InstallationAccessTokenAuthentication } from '@octokit/auth-app';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { BatonError } from '../../domain/errors.ts';
import { isRequestError, toBatonError } from './githubErrors.ts';

const GhOctokit = Octokit.plugin(throttling);
export type GhOctokit = InstanceType<typeof GhOctokit>;

/** How Baton signs in to GitHub: as a GitHub App (installation tokens per repository) or with a token. */
export type GithubAuth =
  { kind: 'app'; appId: number; privateKey: string } | { kind: 'token'; token: string };

export interface GithubClientOptions {
  /** REST base URL: https://api.github.com, `https://ghes.example/api/v3`, the fake's URL */
  apiUrl: string;
  auth: GithubAuth;
  /** the longest rate-limit wait (seconds) waited out; beyond it a retryable BatonError names the reset (default 300) */
  maxRateLimitWaitSec?: number;
  /** retries of 5xx and network errors, with jittered exponential backoff (default 5) */
  retries?: number;
  /** the first backoff delay (default 500 ms; doubled each retry, ±50% jitter, capped at 30 s) */
  retryBaseMs?: number;
  /** an installation token is renewed this long before its `expires_at` (default 300 s) */
  tokenRefreshMarginSec?: number;
  /** GitHub's pacing of writes (1 s between writes, 3 s between notifying ones) — default true */
  pacing?: boolean;
  now?: () => number;
}

type Group = NonNullable<ThrottlingOptions['write']>;
/** A Bottleneck group stand-in that runs jobs at once (`pacing: false`, tests). */
const UNPACED = {
  key: () => ({
    schedule: (_o: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve(fn(...args)),
  }),
} as unknown as Group;

const RATE_LIMIT_RETRIES = 5;

/**
 * Octokit clients for the GitHub forge: rate limits waited out by @octokit/plugin-throttling
 * (primary: until `x-ratelimit-reset`; secondary/429: `retry-after`; up to 5 times and at most
 * `maxRateLimitWaitSec`), 5xx and network errors retried with jittered exponential backoff (an outer
 * request hook, so each attempt re-runs authentication and throttling), installation tokens from
 * @octokit/auth-app (JWT → `POST /app/installations/{id}/access_tokens`, cached; renewed
 * `tokenRefreshMarginSec` before they expire) and installations looked up per repository.
 */
export class GithubClient {
  private readonly app: GhOctokit | null;
  private readonly pat: GhOctokit | null;
  private readonly installationOf = new Map<string, Promise<number>>();
  private readonly installationClients = new Map<number, GhOctokit>();
  private readonly now: () => number;

  constructor(private readonly o: GithubClientOptions) {
    this.now = o.now ?? Date.now;
    if (o.auth.kind === 'app') {
      this.app = this.make({
        authStrategy: createAppAuth,
        auth: { appId: o.auth.appId, privateKey: o.auth.privateKey },
      });
      this.pat = null;
    } else {
      this.app = null;
      this.pat = this.make({ auth: o.auth.token });
    }
  }

  get mode(): GithubAuth['kind'] {
    return this.o.auth.kind;
  }

  /** The App's own client (JWT): `/app/...`, `/repos/{o}/{r}/installation`. */
  appClient(): GhOctokit {
    if (!this.app)
      throw new BatonError(
        'invalid_state',
        'this needs a GitHub App (BATON_GITHUB_APP_ID and its private key)',
      );
    return this.app;
  }

  /** The client acting on a repository: its installation's (App) or the token's. */
  async forRepo(repo: string, signal: AbortSignal): Promise<GhOctokit> {
    if (this.pat) return this.pat;
    return this.forInstallation(await this.installation(repo, signal));
  }

  /** A client authenticated as one installation (its token fetched and renewed as needed). */
  forInstallation(installationId: number): GhOctokit {
    let c = this.installationClients.get(installationId);
    if (!c) {
      const token = () => this.installationToken(installationId);
      c = this.make({ authStrategy: () => tokenStrategy(token) });
      this.installationClients.set(installationId, c);
    }
    return c;
  }

  /** A token for git over HTTPS on `repo` (never given to agents). */
  async token(repo: string, signal: AbortSignal): Promise<string> {
    if (this.o.auth.kind === 'token') return this.o.auth.token;
    return this.installationToken(await this.installation(repo, signal));
  }

  /** The installation of the App on `owner/name` (`GET /repos/{o}/{r}/installation`), cached. */
  async installation(repo: string, signal: AbortSignal): Promise<number> {
    let p = this.installationOf.get(repo);
    if (!p) {
      const { owner, name } = splitRepo(repo);
      p = this.appClient()
        .rest.apps.getRepoInstallation({ owner, repo: name, request: { signal } })
        .then((r) => r.data.id)
        .catch((e: unknown) => {
          this.installationOf.delete(repo);
          if (isRequestError(e) && e.status === 404)
            throw new BatonError('not_found', `the GitHub App is not installed on ${repo}`, {
              cause: e,
              hint: 'install the App on the repository (or its organization), then retry',
            });
          throw toBatonError(e, `find the GitHub App's installation on ${repo}`);
        });
      this.installationOf.set(repo, p);
    }
    return p;
  }

  private async installationToken(installationId: number): Promise<string> {
    const auth = this.appClient().auth as (o: object) => Promise<InstallationAccessTokenAuthentication>;
    const margin = (this.o.tokenRefreshMarginSec ?? 300) * 1000;
    let a = await auth({ type: 'installation', installationId });
    if (Date.parse(a.expiresAt) - this.now() <= margin)
      a = await auth({ type: 'installation', installationId, refresh: true });
    return a.token;
  }

  private make(extra: { authStrategy?: unknown; auth?: unknown }): GhOctokit {
    const maxWait = this.o.maxRateLimitWaitSec ?? 300;
    const wantRetry = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
      retryCount < RATE_LIMIT_RETRIES && retryAfter <= maxWait;
    const octokit = new GhOctokit({
      ...extra,
      baseUrl: this.o.apiUrl.replace(/\/+$/, ''),
      userAgent: 'baton-forge',
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      throttle: {
        onRateLimit: wantRetry,
        onSecondaryRateLimit: wantRetry,
        ...(this.o.pacing === false ? { write: UNPACED, notifications: UNPACED } : {}),
      },
    });
    const retries = this.o.retries ?? 5;
    const base = this.o.retryBaseMs ?? 500;
    octokit.hook.wrap('request', async (request, options) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await request(options);
        } catch (e) {
          const signal = (options.request as { signal?: AbortSignal } | undefined)?.signal;
          if (attempt >= retries || signal?.aborted || !transient(e)) throw e;
          const delay = Math.min(30_000, base * 2 ** attempt) * (0.5 + Math.random());
          await sleep(delay, undefined, signal ? { signal } : {});
        }
      }
    });
    return octokit;
  }
}

/** 5xx and network failures (not aborts, not 4xx). */
function transient(e: unknown): boolean {
  if (isRequestError(e)) return e.status >= 500 || e.status === 0;
  if (e instanceof Error && e.name === 'AbortError') return false;
  return e instanceof Error;
}

/** An Octokit auth strategy sending the (renewed) installation token on every request. */
function tokenStrategy(token: () => Promise<string>) {
  const auth = async () => ({ type: 'token', tokenType: 'installation', token: await token() });
  return Object.assign(auth, {
    hook: async (
      request: ((o: object) => Promise<unknown>) & {
        endpoint: { merge(r: unknown, p?: unknown): { headers: Record<string, string> } };
      },
      route: unknown,
      parameters?: unknown,
    ) => {
      const endpoint = request.endpoint.merge(route, parameters);
      endpoint.headers['authorization'] = `token ${await token()}`;
      return request(endpoint);
    },
  });
}

export function splitRepo(repo: string): { owner: string; name: string } {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repo);
  if (!m?.[1] || !m[2])
    throw new BatonError('invalid_input', `a GitHub repository is named owner/name, got "${repo}"`, {
      field: 'with.repository',
    });
  return { owner: m[1], name: m[2] };
}
