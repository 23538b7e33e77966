/**
 * The authorization matrix: every route of the API (core, task ledger, streams) × every role in the
 * default workspace × a token of another workspace's admin × no token. Expectations are written out
 * here, route by route, independently of the server's permission table.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerRoutes } from '../../src/api/routes/ledger.ts';
import { streamRoutes } from '../../src/api/streams/streamRoutes.ts';
import { ROLES, type Role } from '../../src/domain/access/roles.ts';
import {
  APPROVAL_WORKFLOW,
  createApiHarness,
  SIMPLE_WORKFLOW,
  TEST_ADMIN_TOKEN,
  userWithRole,
  type ApiHarness,
} from './apiHarness.ts';
import { operationsOf, type Operation } from './openapi.ts';
import { FAILING, fixtures, SLOW, type Req } from './routeFixtures.ts';

/** Who may call a route in the default workspace: a least role, or one of the special cases. */
type Need = Role | 'public' | 'authenticated' | 'instance';
/** What an admin of another workspace gets: refused, served in its own workspace, or a list without default's rows. */
type Stranger = 'denied' | 'own' | 'filtered';

const MATRIX: Record<string, [Need, Stranger]> = {
  'GET /healthz': ['public', 'own'],
  'GET /readyz': ['public', 'own'],
  'POST /api/v1/auth/sign-in': ['public', 'own'],
  'GET /api/v1/me': ['authenticated', 'own'],
  'GET /api/v1/tokens': ['authenticated', 'own'],
  'POST /api/v1/tokens': ['authenticated', 'own'],
  // the fixture revokes one of the admin user's tokens: only its owner (or an instance administrator)
  'DELETE /api/v1/tokens/{id}': ['instance', 'denied'],
  'GET /api/v1/workspaces': ['authenticated', 'filtered'],
  'POST /api/v1/workspaces': ['instance', 'denied'],
  'GET /api/v1/workspaces/{workspace}': ['viewer', 'denied'],
  'PATCH /api/v1/workspaces/{workspace}': ['admin', 'denied'],
  'GET /api/v1/workspaces/{workspace}/members': ['viewer', 'denied'],
  'PUT /api/v1/workspaces/{workspace}/members/{login}': ['admin', 'denied'],
  'DELETE /api/v1/workspaces/{workspace}/members/{login}': ['admin', 'denied'],
  'GET /api/v1/users': ['instance', 'denied'],
  'POST /api/v1/users': ['instance', 'denied'],
  'GET /api/v1/users/{login}': ['instance', 'denied'],
  'PATCH /api/v1/users/{login}': ['instance', 'denied'],
  'GET /api/v1/workspaces/{workspace}/projects': ['viewer', 'denied'],
  'POST /api/v1/workspaces/{workspace}/projects': ['maintainer', 'denied'],
  'GET /api/v1/projects/{id}': ['viewer', 'denied'],
  'PATCH /api/v1/projects/{id}': ['maintainer', 'denied'],
  'DELETE /api/v1/projects/{id}': ['maintainer', 'denied'],
  'GET /api/v1/workspaces/{workspace}/repositories': ['viewer', 'denied'],
  'POST /api/v1/workspaces/{workspace}/repositories': ['maintainer', 'denied'],
  'GET /api/v1/repositories/{id}': ['viewer', 'denied'],
  'PATCH /api/v1/repositories/{id}': ['maintainer', 'denied'],
  'DELETE /api/v1/repositories/{id}': ['maintainer', 'denied'],
  'GET /api/v1/audit': ['admin', 'filtered'],
  'GET /api/v1/workspaces/{workspace}/roles': ['viewer', 'denied'],
  'GET /api/v1/workspaces/{workspace}/roles/{name}': ['viewer', 'denied'],
  'PUT /api/v1/workspaces/{workspace}/roles/{name}': ['maintainer', 'denied'],
  'DELETE /api/v1/workspaces/{workspace}/roles/{name}': ['maintainer', 'denied'],
  'GET /api/v1/workspaces/{workspace}/roles/{name}/onboarding': ['viewer', 'denied'],
  'PUT /api/v1/workspaces/{workspace}/roles/{name}/onboarding': ['maintainer', 'denied'],
  'GET /api/v1/workflows': ['viewer', 'filtered'],
  'GET /api/v1/workflows/{name}': ['viewer', 'denied'],
  'POST /api/v1/workflows/validate': ['viewer', 'own'],
  'PUT /api/v1/workflows/{name}': ['maintainer', 'denied'],
  'POST /api/v1/workflows/{name}/runs': ['member', 'denied'],
  'GET /api/v1/runs': ['viewer', 'filtered'],
  'GET /api/v1/runs/{id}': ['viewer', 'denied'],
  'GET /api/v1/runs/{id}/timeline': ['viewer', 'denied'],
  'POST /api/v1/runs/{id}/cancel': ['member', 'denied'],
  'POST /api/v1/runs/{id}/pause': ['member', 'denied'],
  'POST /api/v1/runs/{id}/resume': ['member', 'denied'],
  'POST /api/v1/runs/{id}/advance': ['maintainer', 'denied'],
  'POST /api/v1/runs/{id}/interrupt': ['member', 'denied'],
  'POST /api/v1/runs/{id}/steps/{step}/retry': ['member', 'denied'],
  'GET /api/v1/runs/{id}/steps/{step}/logs': ['viewer', 'denied'],
  'GET /api/v1/runs/{id}/steps/{step}/transcript': ['viewer', 'denied'],
  'GET /api/v1/runs/{id}/agent-attempts': ['viewer', 'denied'],
  'POST /api/v1/workspaces/{workspace}/issues': ['member', 'denied'],
  'GET /api/v1/runs/{id}/issues': ['viewer', 'denied'],
  'GET /api/v1/issues/{id}': ['viewer', 'denied'],
  'PATCH /api/v1/issues/{id}': ['member', 'denied'],
  'PUT /api/v1/issues/{id}/children/order': ['member', 'denied'],
  'POST /api/v1/issues/{id}/defects': ['member', 'denied'],
  'GET /api/v1/issues/{id}/hierarchy': ['viewer', 'denied'],
  'POST /api/v1/issues/{id}/complete': ['member', 'denied'],
  'GET /api/v1/workspaces/{workspace}/budget': ['viewer', 'denied'],
  'PUT /api/v1/workspaces/{workspace}/budget': ['admin', 'denied'],
  'DELETE /api/v1/workspaces/{workspace}/budget': ['admin', 'denied'],
  'POST /webhooks/cursor': ['public', 'own'],
  'POST /webhooks/github': ['public', 'own'],
  'POST /webhooks/security': ['public', 'own'],
  'POST /auth/github-app/callback': ['admin', 'denied'],
  'GET /api/v1/workspaces/{workspace}/github/repos': ['viewer', 'denied'],
  'GET /api/v1/approvals': ['viewer', 'filtered'],
  'POST /api/v1/runs/{id}/steps/{step}/approve': ['member', 'denied'],
  'POST /api/v1/runs/{id}/steps/{step}/reject': ['member', 'denied'],
  'GET /api/v1/queue': ['viewer', 'own'],
  'PATCH /api/v1/queue': ['instance', 'denied'],
  'PUT /api/v1/queue/limits/{key}': ['instance', 'denied'],
  'GET /api/v1/events': ['viewer', 'filtered'],
  'GET /api/v1/events/pending': ['viewer', 'filtered'],
  'POST /api/v1/events': ['member', 'own'],
  'POST /api/v1/events/{id}/processed': ['maintainer', 'denied'],
  'POST /agents/tasks/': ['member', 'own'],
  'PATCH /agents/tasks/{id}': ['member', 'denied'],
  'GET /agents/tasks/': ['viewer', 'filtered'],
  'GET /agents/tasks/paged': ['viewer', 'filtered'],
  'GET /agents/tasks/paged.csv': ['viewer', 'filtered'],
  'GET /agents/tasks/{id}': ['viewer', 'denied'],
  'GET /api/v1/runs/{id}/stream': ['viewer', 'denied'],
  'GET /api/v1/stream': ['viewer', 'filtered'],
};

const STREAMS = new Set(['GET /api/v1/runs/{id}/stream', 'GET /api/v1/stream']);

function allowed(need: Need, role: Role): boolean {
  if (need === 'public' || need === 'authenticated') return true;
  if (need === 'instance') return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(need);
}

/** No row of the default workspace in a list answer (JSON page, array, or CSV). */
function assertNoDefaultRows(key: string, body: string, contentType: string): void {
  if (contentType.startsWith('text/csv')) {
    const lines = body.trim().split('\n').slice(1);
    for (const l of lines) expect(l.endsWith(',default'), `${key}: ${l}`).toBe(false);
    return;
  }
  const parsed = JSON.parse(body) as { items?: unknown[] } | unknown[];
  const items = (Array.isArray(parsed) ? parsed : (parsed.items ?? [])) as Array<Record<string, unknown>>;
  for (const item of items) {
    expect(item['workspace'] ?? item['id'], `${key}: ${JSON.stringify(item)}`).not.toBe('default');
    if (key === 'GET /api/v1/approvals') throw new Error(`${key}: listed ${JSON.stringify(item)}`);
  }
}

describe('authorization matrix (sqlite)', () => {
  let h: ApiHarness;
  let ops: Operation[];
  let fx: Record<string, () => Promise<Req>>;
  let port: number;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    h = await createApiHarness('sqlite', { plugins: [streamRoutes, ledgerRoutes] });
    for (const wf of [SIMPLE_WORKFLOW, APPROVAL_WORKFLOW, FAILING, SLOW]) await h.register(wf);
    for (const role of ROLES) tokens.set(role, await userWithRole(h, `user-${role}`, role));
    tokens.set('stranger', await userWithRole(h, 'stranger', 'admin', 'other'));
    ops = operationsOf((await h.app.inject({ url: '/api/v1/openapi.json' })).json());
    const core = await fixtures(h, { workspace: 'default' });
    const task = async () =>
      (
        await h.app.inject({
          method: 'POST',
          url: '/agents/tasks/',
          payload: { task: 'nightly/lint', status: 'running' },
        })
      ).json<{
        id: string;
      }>().id;
    await task();
    const done = (await h.engine.listRuns({ status: ['succeeded'], limit: 1 }))[0]!.id;
    fx = {
      ...core,
      'POST /agents/tasks/': async () => ({
        url: '/agents/tasks/',
        payload: { task: 'script/x', status: 'queued' },
      }),
      'PATCH /agents/tasks/{id}': async () => ({
        url: `/agents/tasks/${await task()}`,
        payload: { status: 'succeeded' },
      }),
      'GET /agents/tasks/': async () => ({ url: '/agents/tasks/?limit=20' }),
      'GET /agents/tasks/paged': async () => ({ url: '/agents/tasks/paged?limit=20' }),
      'GET /agents/tasks/paged.csv': async () => ({ url: '/agents/tasks/paged.csv?limit=20' }),
      'GET /agents/tasks/{id}': async () => ({ url: `/agents/tasks/${await task()}` }),
      'GET /api/v1/runs/{id}/stream': async () => ({ url: `/api/v1/runs/${done}/stream` }),
      'GET /api/v1/stream': async () => ({ url: '/api/v1/stream' }),
    };
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const r of await h.engine.listRuns({
      status: ['running', 'paused', 'queued', 'awaiting_approval'],
      limit: 500,
    }))
      await h.engine.cancel(r.id, { by: 'test' }).catch(() => undefined);
    await h.close();
  });

  /** The control fixtures start 30 s runs: cancel them so the runner's slots stay free. */
  async function settleRuns(): Promise<void> {
    for (const r of await h.engine.listRuns({ status: ['running', 'paused', 'queued'], limit: 500 }))
      await h.engine.cancel(r.id, { by: 'test' }).catch(() => undefined);
  }

  async function call(
    op: Operation,
    req: Req,
    token: string | null,
  ): Promise<{ status: number; body: string; type: string }> {
    try {
      return await send(op, req, token);
    } finally {
      if (op.method === 'POST' && op.path.startsWith('/api/v1/runs/{id}/')) await settleRuns();
    }
  }

  async function send(
    op: Operation,
    req: Req,
    token: string | null,
  ): Promise<{ status: number; body: string; type: string }> {
    const authorization = token === null ? '' : `Bearer ${token}`;
    if (STREAMS.has(`${op.method} ${op.path}`)) {
      const ac = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}${req.url}`, {
        headers: token === null ? {} : { authorization },
        signal: ac.signal,
      });
      const type = res.headers.get('content-type') ?? '';
      const body = type.startsWith('text/event-stream') ? '' : await res.text();
      ac.abort();
      return { status: res.status, body, type };
    }
    const res = await h.app.inject({
      method: op.method as 'GET',
      url: req.url,
      ...(req.payload === undefined ? {} : { payload: req.payload as object }),
      headers: { ...req.headers, authorization },
    });
    return { status: res.statusCode, body: res.body, type: String(res.headers['content-type'] ?? '') };
  }

  it('names an expectation for every route', () => {
    const keys = ops.map((o) => `${o.method} ${o.path}`);
    expect(keys.filter((k) => !MATRIX[k])).toEqual([]);
    expect(keys.filter((k) => !fx[k])).toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('enforces every role on every route, and keeps other workspaces out', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      const [need, stranger] = MATRIX[key]!;
      for (const role of ROLES) {
        const res = await call(op, await fx[key]!(), tokens.get(role)!);
        const ok = res.status < 300;
        if (ok !== allowed(need, role))
          failures.push(`${key} as ${role}: ${res.status} ${res.body.slice(0, 160)}`);
        if (!ok && allowed(need, role) === false && ![403, 404].includes(res.status)) {
          failures.push(`${key} as ${role}: denied with ${res.status}, expected 403/404`);
        }
      }
      const s = await call(op, await fx[key]!(), tokens.get('stranger')!);
      if (stranger === 'denied' && ![403, 404].includes(s.status)) {
        failures.push(`${key} as another workspace's admin: ${s.status} ${s.body.slice(0, 160)}`);
      }
      if (stranger !== 'denied' && s.status >= 300) {
        failures.push(`${key} as another workspace's admin: ${s.status} ${s.body.slice(0, 160)}`);
      }
      if (stranger === 'filtered' && s.status < 300 && !STREAMS.has(key))
        assertNoDefaultRows(key, s.body, s.type);
      const anon = await call(op, await fx[key]!(), null);
      if ((need === 'public') !== anon.status < 300 || (need !== 'public' && anon.status !== 401)) {
        failures.push(`${key} without a token: ${anon.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("the global stream carries only the caller's workspaces", async () => {
    async function subscribe(token: string, query = '') {
      const ac = new AbortController();
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/stream${query}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: ac.signal,
      });
      expect(res.status).toBe(200);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const events: Array<{ id: number; type: string; run_id: string | null }> = [];
      let buf = '';
      return {
        events,
        /** reads until an event with this id arrived (or 10 s passed) */
        async until(id: number) {
          const deadline = Date.now() + 10_000;
          while (!events.some((e) => e.id === id) && Date.now() < deadline) {
            const { value, done } = await reader.read();
            if (done) break;
            buf += new TextDecoder().decode(value);
            let i: number;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              const frame = buf.slice(0, i);
              buf = buf.slice(i + 2);
              const data = frame.split('\n').find((l) => l.startsWith('data: '));
              if (data) events.push(JSON.parse(data.slice(6)) as (typeof events)[number]);
            }
          }
          ac.abort();
          return events;
        },
      };
    }
    const stranger = await subscribe(tokens.get('stranger')!);
    const admin = await subscribe(tokens.get('admin')!);
    const run = await h.app.inject({ method: 'POST', url: '/api/v1/workflows/simple/runs', payload: {} });
    expect(run.statusCode).toBe(201);
    const runId = run.json<{ id: string }>().id;
    await h.finish(runId);
    const own = await h.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${tokens.get('stranger')!}` },
      payload: { type: 'stranger.ping' },
    });
    const ownId = own.json<{ id: number }>().id;
    const seen = await stranger.until(ownId);
    expect(seen.map((e) => e.id)).toContain(ownId);
    expect(seen.filter((e) => e.run_id === runId)).toEqual([]);
    const all = await admin.until(ownId);
    expect(all.filter((e) => e.run_id === runId).length).toBeGreaterThan(0);
    const onlyOther = await subscribe(TEST_ADMIN_TOKEN, '?workspace=other'); // an instance administrator
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${tokens.get('stranger')!}` },
      payload: { type: 'stranger.ping' },
    });
    await h.app.inject({ method: 'POST', url: '/api/v1/events', payload: { type: 'default.ping' } });
    const last = await h.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${tokens.get('stranger')!}` },
      payload: { type: 'stranger.ping' },
    });
    const narrowed = await onlyOther.until(last.json<{ id: number }>().id);
    expect(narrowed.map((e) => e.type)).toEqual(['stranger.ping', 'stranger.ping']);
    expect(narrowed[0]!.id).toBe(again.json<{ id: number }>().id);
  });
});
