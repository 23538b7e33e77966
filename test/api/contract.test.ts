import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.ts';
import { APPROVAL_WORKFLOW, createApiHarness, SIMPLE_WORKFLOW, type ApiHarness } from './apiHarness.ts';
import { arbitraryOf, operationsOf, validatorOf, type Operation } from './openapi.ts';

const FAILING = `
name: failing
steps:
  - id: bad
    run: exit 3
`;
const SLOW = `
name: slow
steps:
  - id: nap
    run: sleep 30
`;

interface Req {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

/** Builds a valid request for every documented operation (a missing one fails the test). */
async function fixtures(h: ApiHarness): Promise<Record<string, () => Promise<Req>>> {
  const run = async (wf: string) => (await h.start(wf)).id;
  const awaiting = async () => {
    const id = await run('gated');
    await h.waitFor(id, (d) => d.run.status === 'awaiting_approval');
    return id;
  };
  const running = async () => {
    const id = await run('slow');
    await h.waitFor(id, (d) => d.steps.some((s) => s.status === 'running'));
    return id;
  };
  const done = await run('simple');
  await h.finish(done);
  return {
    'GET /healthz': async () => ({ url: '/healthz' }),
    'GET /readyz': async () => ({ url: '/readyz' }),
    'GET /api/v1/workflows': async () => ({ url: '/api/v1/workflows?limit=2' }),
    'GET /api/v1/workflows/{name}': async () => ({ url: '/api/v1/workflows/simple' }),
    'POST /api/v1/workflows/validate': async () => ({
      url: '/api/v1/workflows/validate',
      payload: { source: SIMPLE_WORKFLOW },
    }),
    'PUT /api/v1/workflows/{name}': async () => ({
      url: '/api/v1/workflows/simple',
      payload: { source: SIMPLE_WORKFLOW.replace('name: simple', 'name: simple') },
    }),
    'POST /api/v1/workflows/{name}/runs': async () => ({
      url: '/api/v1/workflows/simple/runs',
      payload: { inputs: { who: 'contract' } },
    }),
    'GET /api/v1/runs': async () => ({ url: '/api/v1/runs?limit=3&status=succeeded,running' }),
    'GET /api/v1/runs/{id}': async () => ({ url: `/api/v1/runs/${done}` }),
    'GET /api/v1/runs/{id}/timeline': async () => ({ url: `/api/v1/runs/${done}/timeline?limit=2` }),
    'POST /api/v1/runs/{id}/cancel': async () => ({
      url: `/api/v1/runs/${await running()}/cancel`,
      payload: {},
    }),
    'POST /api/v1/runs/{id}/pause': async () => ({
      url: `/api/v1/runs/${await running()}/pause`,
      payload: { reason: 'contract' },
    }),
    'POST /api/v1/runs/{id}/resume': async () => {
      const id = await running();
      await h.engine.pause(id, { by: 'test' });
      return { url: `/api/v1/runs/${id}/resume`, payload: {} };
    },
    'POST /api/v1/runs/{id}/advance': async () => ({
      url: `/api/v1/runs/${await awaiting()}/advance`,
      payload: { step: 'gate' },
    }),
    'POST /api/v1/runs/{id}/interrupt': async () => ({
      url: `/api/v1/runs/${await running()}/interrupt`,
      payload: { action: 'cancel', reason: 'contract' },
    }),
    'POST /api/v1/runs/{id}/steps/{step}/retry': async () => {
      const id = await run('failing');
      await h.finish(id);
      return { url: `/api/v1/runs/${id}/steps/bad/retry` };
    },
    'GET /api/v1/runs/{id}/steps/{step}/logs': async () => ({ url: `/api/v1/runs/${done}/steps/hello/logs` }),
    'GET /api/v1/approvals': async () => {
      await awaiting();
      return { url: '/api/v1/approvals' };
    },
    'POST /api/v1/runs/{id}/steps/{step}/approve': async () => ({
      url: `/api/v1/runs/${await awaiting()}/steps/gate/approve`,
      payload: { comment: 'ok' },
      headers: { 'x-baton-actor': 'alice' },
    }),
    'POST /api/v1/runs/{id}/steps/{step}/reject': async () => ({
      url: `/api/v1/runs/${await awaiting()}/steps/gate/reject`,
      payload: { comment: 'no' },
    }),
    'GET /api/v1/queue': async () => ({ url: '/api/v1/queue' }),
    'PATCH /api/v1/queue': async () => ({ url: '/api/v1/queue', payload: { stop_on_failure: false } }),
    'PUT /api/v1/queue/limits/{key}': async () => ({
      url: '/api/v1/queue/limits/prod',
      payload: { limit: 2 },
    }),
    'GET /api/v1/events': async () => ({ url: '/api/v1/events?limit=5' }),
    'GET /api/v1/events/pending': async () => ({ url: '/api/v1/events/pending' }),
    'POST /api/v1/events': async () => ({
      url: '/api/v1/events',
      payload: { type: 'ci.done', payload: { ok: true } },
    }),
    'POST /api/v1/events/{id}/processed': async () => {
      const e = await h.store.insertExternalEvent({ type: 'ci.done', payload: {} }, Date.now());
      return { url: `/api/v1/events/${e.id}/processed` };
    },
  };
}

/** Everything a rejected request must leave as it was. */
async function snapshot(h: ApiHarness): Promise<string> {
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
    expect(ops.length).toBeGreaterThanOrEqual(27);
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
    };
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
        { numRuns: 30, seed: 20_240_601 },
      );
    }
  });
});
