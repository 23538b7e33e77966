import { createPublicKey, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeCall } from '../../../agents/fakes/fakeApiServer.ts';
import { authenticate, lookupToken, newToken, parseAuthorization } from './auth.ts';
import { setAutoMerge, sweepAutoMerge } from './autoMerge.ts';
import { GitRunner } from './git.ts';
import { isPush, serveGitHttp } from './gitHttp.ts';
import { DOCS, fail, type Answer, type RestCall, type Route } from './http.ts';
import { RateLimits, type ScriptedFailure } from './rateLimit.ts';
import { appRoutes } from './routes/apps.ts';
import { checkRoutes } from './routes/checks.ts';
import { graphqlRoutes } from './routes/graphql.ts';
import { issueRoutes } from './routes/issues.ts';
import { pullRoutes } from './routes/pulls.ts';
import { repoRoutes } from './routes/repos.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { GithubService, type CommitFilesOptions, type CreateRepoOptions } from './service.ts';
import {
  GithubState,
  stamp,
  type FakeApp,
  type FakeInstallation,
  type FakeRepo,
  type MergeMethod,
  type Principal,
} from './state.ts';
import { sendDelivery, type Delivery, type WebhookTarget } from './webhooks.ts';

export type { CommitFilesOptions, CreateRepoOptions } from './service.ts';
export type { ScriptedFailure } from './rateLimit.ts';
export type { Delivery, WebhookTarget } from './webhooks.ts';
export type { FakeApp, FakeInstallation, FakeRepo, GithubState } from './state.ts';

export interface FakeGithubOptions {
  /** personal access tokens to register: token → login */
  tokens?: Record<string, string>;
  /** primary rate limit per hour (default 5000 authenticated, 60 anonymous) */
  rateLimit?: { authenticated?: number; anonymous?: number };
  /** only installation tokens may write check runs, as on GitHub (default true) */
  checksRequireApp?: boolean;
  /** automatic webhook deliveries (also `setWebhook`) */
  webhook?: WebhookTarget;
  /** where the temp directory goes (default the OS temp dir) */
  tmpDir?: string;
}

export interface RegisterAppOptions {
  appId: number;
  /** the app's private key; the fake keeps only the public half to verify JWTs */
  privateKeyPem: string;
  slug?: string;
  name?: string;
  /** login of the app's owner (default 'app-owner') */
  owner?: string;
  clientId?: string;
  /** lifetime of installation tokens (default 3600) */
  tokenTtlSec?: number;
  permissions?: Record<string, 'read' | 'write'>;
  events?: string[];
}

export interface InstallAppOptions {
  /** the user or organization the app is installed on */
  account: string;
  accountType?: 'User' | 'Organization';
  /** repository names under `account` or 'all' (default) */
  repositories?: 'all' | string[];
  permissions?: Record<string, 'read' | 'write'>;
  id?: number;
}

export interface FakeGithubRepo {
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  /** the bare repository on disk */
  gitDir: string;
  /** `http://127.0.0.1:PORT/owner/name.git` (no credentials) */
  cloneUrl: string;
  state: FakeRepo;
}

export interface FakeGithub {
  /** `http://127.0.0.1:PORT`: use as Octokit's `baseUrl`; git remotes live under it too */
  url: string;
  /** every request (REST and git), in order */
  calls: FakeCall[];
  /** the temp directory holding the bare repositories (removed on close) */
  dir: string;
  state: GithubState;
  /** webhook deliveries sent (automatic and `deliver`) */
  deliveries: Delivery[];
  /** handler crashes answered 500 (tests can assert this stays empty) */
  serverErrors: unknown[];
  createRepo(owner: string, name: string, o?: CreateRepoOptions): Promise<FakeGithubRepo>;
  /** the state of a repository (throws when unknown) */
  repo(owner: string, name: string): FakeRepo;
  /** a git remote URL, with `x-access-token:TOKEN@` when a token is given */
  cloneUrl(owner: string, name: string, token?: string): string;
  /** registers a personal access token for `login` (generated when absent); returns it */
  addToken(login: string, token?: string): string;
  registerApp(o: RegisterAppOptions): FakeApp;
  installApp(appId: number, o: InstallAppOptions): FakeInstallation;
  /** a commit made on the server (like the web editor), with its `push` webhook */
  commitFiles(owner: string, name: string, o: CommitFilesOptions): Promise<string>;
  branchSha(owner: string, name: string, branch: string): Promise<string | undefined>;
  /** runs git in the bare repository; stdout trimmed */
  git(owner: string, name: string, args: string[]): Promise<string>;
  /**
   * the auto-merge flag GitHub sets through GraphQL (`enablePullRequestAutoMerge`, also served at
   * `POST /graphql`); null disables. The fake merges the pull request by itself once it is approved,
   * its checks are green and it merges cleanly (see autoMerge.ts); resolves after that check.
   */
  setAutoMerge(
    owner: string,
    name: string,
    pullNumber: number,
    method: MergeMethod | null,
    by?: string,
  ): Promise<void>;
  /** fails the next matching REST request the way GitHub does (rate limits, 5xx, a 422 with its message) */
  failNext(f: ScriptedFailure): void;
  /** where automatic deliveries go (`undefined` stops them) */
  setWebhook(t: WebhookTarget | undefined): void;
  /** sends one delivery like GitHub (signed when a secret is given); the receiver's status (0: unreachable) */
  deliver(event: string, payload: unknown, to: WebhookTarget): Promise<number>;
  /** resolves once every automatic delivery queued so far was answered */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const GIT_PATH =
  /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.+)$/;
const PERMISSION = /^(read|write)$/;

const requestId = (): string =>
  [2, 2, 3, 3, 4].map((n) => randomBytes(n).toString('hex').toUpperCase()).join(':');

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A stateful fake of GitHub on 127.0.0.1: REST v3 over real bare repositories served by `git http-backend`. */
export async function startFakeGithub(o: FakeGithubOptions = {}): Promise<FakeGithub> {
  const dir = await mkdtemp(join(o.tmpDir ?? tmpdir(), 'baton-fake-github-'));
  const projectRoot = join(dir, 'repos');
  await mkdir(projectRoot, { recursive: true });
  const git = new GitRunner(dir);
  const calls: FakeCall[] = [];
  const serverErrors: unknown[] = [];
  const limits = new RateLimits({
    authenticated: o.rateLimit?.authenticated ?? 5000,
    anonymous: o.rateLimit?.anonymous ?? 60,
  });
  const checksRequireApp = o.checksRequireApp ?? true;

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      serverErrors.push(e);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: 'Server Error', documentation_url: DOCS, status: '500' }));
      } else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state = new GithubState(url, projectRoot, git);
  const svc = new GithubService(state, git);
  svc.webhook = o.webhook;
  for (const [token, login] of Object.entries(o.tokens ?? {}))
    state.tokens.set(token, { token, user: state.user(login) });

  const routes: Route[] = [
    ...repoRoutes(svc),
    ...pullRoutes(svc),
    ...reviewRoutes(svc),
    ...issueRoutes(svc),
    ...checkRoutes(svc, { checksRequireApp: () => checksRequireApp }),
    ...appRoutes(svc),
    ...graphqlRoutes(svc),
  ];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    const path = u.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const method = req.method ?? 'GET';
    const gitPath = GIT_PATH.exec(path);
    if (gitPath) return handleGit(req, res, u, gitPath);
    const raw = await readBody(req);
    let body: unknown;
    let badJson = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8')) as unknown;
      } catch {
        badJson = true;
        body = raw.toString('utf8');
      }
    }
    calls.push({ method, path, query: u.searchParams, headers: req.headers, body });
    const reqId = requestId();
    const send = (a: Answer): void => {
      const headers: Record<string, string> = {
        'x-github-request-id': reqId,
        'x-github-media-type': 'github.v3; format=json',
        'x-github-api-version-selected': '2022-11-28',
        ...a.headers,
      };
      if (a.status === 204 || a.body === undefined) {
        res.writeHead(a.status, headers);
        res.end();
        return;
      }
      const text = JSON.stringify(a.body);
      res.writeHead(a.status, {
        ...headers,
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    };
    const ip = req.socket.remoteAddress ?? '127.0.0.1';
    const auth = authenticate(state, req.headers.authorization);
    const principal: Principal = auth.ok ? auth.principal : { kind: 'anonymous' };
    const taken = limits.take(principal, ip);
    const withLimits = (a: Answer): Answer => ({ ...a, headers: { ...taken.headers, ...a.headers } });
    if (!auth.ok) return send(withLimits(fail(401, auth.message)));
    if (taken.exhausted) {
      const reset = Number(taken.headers['x-ratelimit-reset']);
      const limit = Number(taken.headers['x-ratelimit-limit']);
      return send(limits.primary(principal, ip, reqId, reset, limit));
    }
    const scripted = limits.scripted(method, path);
    if (scripted) return send(limits.answer(scripted, principal, ip, reqId, taken.headers));
    if (badJson) return send(withLimits(fail(400, 'Problems parsing JSON')));
    send(withLimits(await dispatch(method, path, u.searchParams, body, principal)));
  }

  async function dispatch(
    method: string,
    path: string,
    query: URLSearchParams,
    rawBody: unknown,
    principal: Principal,
  ): Promise<Answer> {
    let hit: { r: Route; m: RegExpExecArray } | undefined;
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m) {
        hit = { r, m };
        break;
      }
    }
    if (!hit) return fail(404, 'Not Found');
    const { r, m } = hit;
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
    if (r.auth === 'app' && principal.kind !== 'app')
      return fail(401, 'A JSON web token could not be decoded');
    if (r.auth === 'installation' && principal.kind !== 'installation')
      return fail(
        403,
        'You must authenticate with an installation access token in order to list repositories for an installation.',
      );
    if (r.auth === undefined && principal.kind === 'app')
      return fail(403, 'Resource not accessible by integration');
    if (method !== 'GET' && principal.kind === 'anonymous') return fail(401, 'Requires authentication');
    let repo: FakeRepo | undefined;
    if (!r.global) {
      repo = state.repo(params.owner ?? '', params.repo ?? '');
      if (!repo || (r.auth !== 'app' && !state.canSee(principal, repo))) return fail(404, 'Not Found');
    }
    const call: RestCall = {
      method,
      path,
      params,
      query,
      body:
        typeof rawBody === 'object' && rawBody !== null && !Array.isArray(rawBody)
          ? (rawBody as Record<string, unknown>)
          : {},
      rawBody,
      principal,
      repo: repo as FakeRepo,
    };
    const answer = await r.handler(call);
    // a write may have satisfied what an auto-merge waits for (a review, a status, a check run)
    if (method !== 'GET' && repo && answer.status < 300) await sweepAutoMerge(svc, repo);
    return answer;
  }

  async function handleGit(
    req: IncomingMessage,
    res: ServerResponse,
    u: URL,
    m: RegExpExecArray,
  ): Promise<void> {
    calls.push({
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      body: undefined,
    });
    const challenge = (message: string): void => {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"', 'content-type': 'text/plain' });
      res.end(`${message}\n`);
    };
    const cred = parseAuthorization(req.headers.authorization);
    const token = cred ? lookupToken(state, cred.secret) : undefined;
    if (cred && !token) {
      req.resume();
      return challenge(
        'Invalid username or token. Password authentication is not supported for Git operations.',
      );
    }
    const principal: Principal = !token
      ? { kind: 'anonymous' }
      : token.installation
        ? { kind: 'installation', user: token.user, token, installation: token.installation }
        : { kind: 'user', user: token.user, token };
    const repo = state.repo(m[1] ?? '', m[2] ?? '');
    const push = isPush(`/${m[3] ?? ''}`, u.searchParams);
    if (principal.kind === 'anonymous' && (!repo || repo.private || push)) {
      req.resume();
      return challenge('Authentication required.');
    }
    if (!repo || !state.canSee(principal, repo)) {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Repository not found.\n');
      return;
    }
    const pusher = principal.kind === 'anonymous' ? undefined : principal.user;
    const before = push && req.method === 'POST' ? await svc.refMap(repo) : undefined;
    await serveGitHttp({
      req,
      res,
      projectRoot,
      pathInfo: `/${repo.owner.login}/${repo.name}.git/${m[3] ?? ''}`,
      query: u.search.replace(/^\?/, ''),
      ...(pusher ? { remoteUser: pusher.login } : {}),
      git,
    });
    if (before && pusher) {
      await svc.afterRefsChanged(repo, before, pusher);
      await sweepAutoMerge(svc, repo);
    }
  }

  const mustRepo = (owner: string, name: string): FakeRepo => {
    const r = state.repo(owner, name);
    if (!r) throw new Error(`fake GitHub has no repository ${owner}/${name}`);
    return r;
  };
  const checkPermissions = (p: Record<string, string> | undefined): Record<string, string> => {
    for (const [k, v] of Object.entries(p ?? {}))
      if (!PERMISSION.test(v)) throw new Error(`permission ${k} must be 'read' or 'write', got ${v}`);
    return p ?? {};
  };

  return {
    url,
    calls,
    dir,
    state,
    deliveries: svc.deliveries,
    serverErrors,
    async createRepo(owner, name, ro = {}) {
      const r = await svc.createRepo(owner, name, ro);
      return {
        owner: r.owner.login,
        name: r.name,
        fullName: state.fullName(r),
        defaultBranch: r.defaultBranch,
        gitDir: r.gitDir,
        cloneUrl: `${url}/${state.fullName(r)}.git`,
        state: r,
      };
    },
    repo: mustRepo,
    cloneUrl(owner, name, token) {
      const r = mustRepo(owner, name);
      const auth = token === undefined ? '' : `x-access-token:${encodeURIComponent(token)}@`;
      return `http://${auth}${new URL(url).host}/${state.fullName(r)}.git`;
    },
    addToken(login, token = newToken('ghp')) {
      state.tokens.set(token, { token, user: state.user(login) });
      return token;
    },
    registerApp(a) {
      if (state.apps.has(a.appId)) throw new Error(`app ${a.appId} is already registered`);
      const slug = a.slug ?? `app-${a.appId}`;
      const app: FakeApp = {
        id: a.appId,
        slug,
        name: a.name ?? slug,
        clientId: a.clientId ?? `Iv1.${randomBytes(8).toString('hex')}`,
        owner: state.user(a.owner ?? 'app-owner'),
        publicKey: createPublicKey(a.privateKeyPem),
        bot: state.user(`${slug}[bot]`, 'Bot'),
        tokenTtlSec: a.tokenTtlSec ?? 3600,
        permissions: checkPermissions(
          a.permissions ?? {
            contents: 'write',
            pull_requests: 'write',
            issues: 'write',
            checks: 'write',
            statuses: 'write',
            actions: 'write',
            metadata: 'read',
          },
        ),
        events: a.events ?? ['check_run', 'issue_comment', 'pull_request', 'pull_request_review', 'push'],
        createdAt: stamp(),
      };
      state.apps.set(app.id, app);
      return app;
    },
    installApp(appId, io) {
      const app = state.apps.get(appId);
      if (!app) throw new Error(`app ${appId} is not registered`);
      const inst: FakeInstallation = {
        id: io.id ?? state.id(),
        app,
        account: state.user(io.account, io.accountType ?? 'User'),
        repositories:
          io.repositories === undefined || io.repositories === 'all'
            ? 'all'
            : io.repositories.map((n) => (n.includes('/') ? n : `${io.account}/${n}`)),
        permissions: checkPermissions(io.permissions ?? app.permissions),
        createdAt: stamp(),
      };
      state.installations.set(inst.id, inst);
      return inst;
    },
    commitFiles: (owner, name, co) => svc.commitFiles(mustRepo(owner, name), co),
    branchSha: (owner, name, branch) => git.branchSha(mustRepo(owner, name).gitDir, branch),
    git: (owner, name, args) => git.out(mustRepo(owner, name).gitDir, args),
    async setAutoMerge(owner, name, n, method, by) {
      const r = mustRepo(owner, name);
      const p = r.issues.get(n)?.pull;
      if (!p) throw new Error(`no pull request #${n} in ${owner}/${name}`);
      setAutoMerge(p, method, by ? state.user(by) : p.issue.user);
      await sweepAutoMerge(svc, r);
    },
    failNext: (f) => void limits.failures.push({ ...f }),
    setWebhook(t) {
      svc.webhook = t;
    },
    async deliver(event, payload, to) {
      const d = await sendDelivery(event, payload, to, { signal: svc.stop.signal });
      return svc.record(d).status;
    },
    settled: () => svc.settled(),
    async close() {
      svc.webhook = undefined;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      svc.stop.abort();
      git.killAll();
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    },
  };
}
