import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.ts';
import { APPROVAL_WORKFLOW, createApiHarness, SIMPLE_WORKFLOW, type ApiHarness } from './apiHarness.ts';
import { FAILING, fixtures, SLOW } from './routeFixtures.ts';
import { arbitraryOf, operationsOf, validatorOf, type Operation } from './openapi.ts';

/** Everything a rejected request must leave as it was. */
async function snapshot(h: ApiHarness): Promise<string> {
  const accounts = await Promise.all([
    h.accounts.listWorkspaces(undefined, undefined, 10_000),
    h.accounts.listUsers(undefined, 10_000),
    h.accounts.listTokens(undefined, undefined, 10_000),
  ]);
  // a token's last_used_at is touched at most once a minute by any request, rejected or not: not a row change
  for (const t of accounts[2]) t.lastUsedAt = null;
  const members = await Promise.all(accounts[0].map((w) => h.accounts.listMembers(w.id, undefined, 10_000)));
  const projects = await Promise.all(
    accounts[0].map((w) => h.accounts.listProjects(w.id, undefined, 10_000)),
  );
  const repos = await Promise.all(
    accounts[0].map((w) => h.accounts.listRepositories({ workspaceId: w.id, limit: 10_000 })),
  );
  return JSON.stringify({ core: await coreSnapshot(h), accounts, members, projects, repos });
}

async function coreSnapshot(h: ApiHarness): Promise<string> {
  const [runs, steps, events, workflows, queue, limits, waits] = await Promise.all([
    h.store.countRunsByStatus(),
    h.store.countStepsByStatus(),
    h.store.listEventsFiltered({ afterId: 0, limit: 100_000 }),
    h.store.listWorkflows(),
    h.store.getQueueSettings(),
    h.store.listConcurrencyLimits(),
    h.store.listPendingWaits(null, 1000),
  ]);
  return JSON.stringify({
    runs: runs.sort((a, b) => a.status.localeCompare(b.status)),
    steps: steps.sort((a, b) => a.status.localeCompare(b.status)),
    events: events.map((e) => [e.id, e.processedAt]),
    workflows: workflows.map((w) => [w.name, w.version, w.updatedAt]),
    queue,
    limits,
    waits: waits.map((w) => w.id),
  });
}

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? 'x'));
}

describe.each(DIALECTS)('OpenAPI contract (%s)', (dialect) => {
  let h: ApiHarness;
  let ops: Operation[];
  beforeAll(async () => {
    h = await createApiHarness(dialect);
    for (const wf of [SIMPLE_WORKFLOW, APPROVAL_WORKFLOW, FAILING, SLOW]) await h.register(wf);
    const doc = await h.app.inject({ url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    ops = operationsOf(doc.json());
  });
  afterAll(async () => {
    for (const r of await h.engine.listRuns({
      status: ['running', 'paused', 'queued', 'awaiting_approval'],
      limit: 500,
    }))
      await h.engine.cancel(r.id, { by: 'test' }).catch(() => undefined);
    await h.close();
  });

  it('publishes OpenAPI 3.1 and a docs page', async () => {
    const doc = (await h.app.inject({ url: '/api/v1/openapi.json' })).json<{ openapi: string }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(ops.length).toBeGreaterThanOrEqual(54);
    const docs = await h.app.inject({ url: '/api/v1/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('every route returns a documented status with a body matching its published schema', async () => {
    const fx = await fixtures(h);
    const missing = ops.map((o) => `${o.method} ${o.path}`).filter((k) => !fx[k]);
    expect(missing).toEqual([]);
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      const req = await fx[key]!();
      const res = await h.app.inject({
        method: op.method as 'GET',
        url: req.url,
        ...(req.payload === undefined ? {} : { payload: req.payload as object }),
        ...(req.headers ? { headers: req.headers } : {}),
      });
      const status = String(res.statusCode);
      expect(res.statusCode, `${key}: ${res.body}`).toBeLessThan(300);
      expect(Object.keys(op.responses), key).toContain(status);
      const schema = op.responses[status];
      if (schema) {
        const parsed = validatorOf(schema).safeParse(res.json());
        expect(parsed.success, `${key}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
  });

  it('documented error responses match the problem schema (unknown run → 404)', async () => {
    for (const op of ops.filter((o) => o.path.includes('{id}') && o.path.startsWith('/api/v1/runs'))) {
      const url = fill(op.path, { id: 'ffffffff', step: 'nope' });
      const res = await h.app.inject({
        method: op.method as 'GET',
        url,
        ...(op.method === 'POST'
          ? { payload: op.path.endsWith('interrupt') ? { action: 'pause', reason: 'r' } : {} }
          : {}),
      });
      expect(res.statusCode, `${op.method} ${url}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const parsed = validatorOf(op.responses['404']!).safeParse(res.json());
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
  });
});

describe.each(DIALECTS)('fuzzed requests (%s)', (dialect) => {
  let h: ApiHarness;
  let ops: Operation[];
  let known: Record<string, string[]>;
  beforeAll(async () => {
    // no runner: nothing changes in the background, so a rejected request must change no row
    h = await createApiHarness(dialect, { runner: false });
    for (const wf of [SIMPLE_WORKFLOW, APPROVAL_WORKFLOW]) await h.register(wf);
    const gated = await h.start('gated');
    const simple = await h.start('simple');
    const e = await h.store.insertExternalEvent({ type: 'x', payload: {} }, Date.now());
    known = {
      id: [gated.id, simple.id, gated.id.slice(0, 8), String(e.id), '1'],
      step: ['gate', 'hello', 'after'],
      name: ['simple', 'gated', 'nope'],
      key: ['k', 'prod'],
      workspace: ['default', 'other', 'nope'],
      login: ['admin', 'bob', 'nope'],
    };
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/workspaces',
      payload: { id: 'other', name: 'Other' },
    });
    await h.app.inject({ method: 'POST', url: '/api/v1/users', payload: { login: 'bob' } });
    ops = operationsOf((await h.app.inject({ url: '/api/v1/openapi.json' })).json());
  });
  afterAll(async () => h.close());

  it('never answer 5xx, and a rejected request changes no row', async () => {
    for (const op of ops) {
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      const queryParams = op.parameters.filter((p) => p.in === 'query');
      const arb = fc.record({
        path: fc.record(
          Object.fromEntries(
            pathParams.map((p) => [
              p.name,
              fc.oneof(
                fc.constantFrom(...(known[p.name] ?? ['x'])),
                fc.string({ minLength: 1, maxLength: 30 }),
              ),
            ]),
          ),
        ),
        query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, arbitraryOf(p.schema)])), {
          requiredKeys: [],
        }),
        body: op.body ? arbitraryOf(op.body) : fc.constant(undefined),
        actor: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
      });
      await fc.assert(
        fc.asyncProperty(arb, async (input) => {
          const before = await snapshot(h);
          const qs = new URLSearchParams();
          for (const [k, v] of Object.entries(input.query)) {
            if (v !== undefined) qs.set(k, typeof v === 'string' ? v : JSON.stringify(v));
          }
          const url = `${fill(op.path, input.path)}${qs.size ? `?${qs.toString()}` : ''}`;
          const res = await h.app.inject({
            method: op.method as 'GET',
            url,
            ...(input.body === undefined
              ? {}
              : { payload: JSON.stringify(input.body), headers: { 'content-type': 'application/json' } }),
            ...(input.actor && /^[\x21-\x7e]+$/.test(input.actor)
              ? { headers: { 'x-baton-actor': input.actor } }
              : {}),
          });
          expect(res.statusCode, `${op.method} ${url} → ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            expect(await snapshot(h), `${op.method} ${url} changed rows`).toBe(before);
          }
        }),
        { numRuns: 25, seed: 20_240_601 },
      );
    }
  }, 300_000);
});
