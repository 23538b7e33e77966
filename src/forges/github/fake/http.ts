import type { FakeRepo, GithubState, Principal } from './state.ts';

/** One REST answer. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestCall {
  method: string;
  /** the path without the query (and without a GHES `/api/v3` prefix) */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** the JSON body when it is an object ({} otherwise) */
  body: Record<string, unknown>;
  /** the JSON body as sent (arrays for e.g. `POST …/labels`) */
  rawBody: unknown;
  principal: Principal;
  /** set for `/repos/{owner}/{repo}/…` routes (visible to the caller) */
  repo: FakeRepo;
}

export type Handler = (c: RestCall) => Answer | Promise<Answer>;

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
  /** who may call: 'app' (JWT), 'installation' (installation token), default anyone (writes need auth) */
  auth?: 'app' | 'installation';
  /** the route works without a repository (no `:owner/:repo`) */
  global?: boolean;
}

/** `/repos/:owner/:repo/git/ref/*ref` → a route; `:x` is one segment (digits for `:number`/`:id`), `*x` the rest. */
export function route(
  method: string,
  template: string,
  handler: Handler,
  o: { auth?: 'app' | 'installation' } = {},
): Route {
  const keys: string[] = [];
  const source = template
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        keys.push(seg.slice(1));
        // numbers and ids are digits, so `/issues/comments` never reads as issue "comments"
        return seg === ':number' || seg === ':id' ? '(\\d+)' : '([^/]+)';
      }
      if (seg.startsWith('*')) {
        keys.push(seg.slice(1));
        return '(.+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    method,
    pattern: new RegExp(`^${source}$`),
    keys,
    handler,
    ...(o.auth ? { auth: o.auth } : {}),
    global: !template.startsWith('/repos/:owner/:repo'),
  };
}

export const DOCS = 'https://docs.github.com/rest';

export const fail = (
  status: number,
  message: string,
  docs = DOCS,
  extra: Record<string, unknown> = {},
): Answer => ({
  status,
  body: { message, documentation_url: docs, status: String(status), ...extra },
});

export const notFound = (docs = DOCS): Answer => fail(404, 'Not Found', docs);

export interface FieldError {
  resource: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  field?: string;
  message?: string;
}

export const validationFailed = (errors: FieldError[], docs = DOCS): Answer =>
  fail(422, 'Validation Failed', docs, { errors });

/** GitHub's 422 with plain-string errors (reviews, review requests). */
export const unprocessable = (errors: string[], docs = DOCS): Answer =>
  fail(422, 'Unprocessable Entity', docs, { errors });

export const ok = (body: unknown, status = 200): Answer => ({ status, body });

export const noContent = (): Answer => ({ status: 204 });

/** A page of a list, with GitHub's `Link` header (per_page default 30, max 100). */
export function page<T>(s: GithubState, c: RestCall, items: T[]): Answer {
  const perPage = Math.min(100, Math.max(1, Number(c.query.get('per_page') ?? 30) || 30));
  const pageNo = Math.max(1, Number(c.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string): string => {
    const q = new URLSearchParams(c.query);
    q.set('per_page', String(perPage));
    q.set('page', String(n));
    return `<${s.baseUrl}${c.path}?${q.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(pageNo > 1 ? [link(pageNo - 1, 'prev'), link(1, 'first')] : []),
    ...(pageNo < last ? [link(pageNo + 1, 'next'), link(last, 'last')] : []),
  ];
  return {
    status: 200,
    body: items.slice((pageNo - 1) * perPage, pageNo * perPage),
    ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
  };
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
