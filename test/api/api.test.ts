import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { serve } from '../../src/main/serve.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { isBatonError } from '../../src/domain/errors.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import {
  TEST_ADMIN_TOKEN,
  userWithRole,
  APPROVAL_WORKFLOW,
  createApiHarness,
  SIMPLE_WORKFLOW,
  testConfig,
  type ApiHarness,
} from './apiHarness.ts';

const TICKER = `
name: ticker
steps:
  - id: tick
    run: for i in 1 2 3 4 5; do echo "line $i"; sleep 0.2; done
`;

describe.each(DIALECTS)('HTTP API (%s)', (dialect) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness(dialect);
    for (const wf of [SIMPLE_WORKFLOW, APPROVAL_WORKFLOW, TICKER]) await h.register(wf);
  });
  afterAll(async () => h.close());

  it('answers problems as application/problem+json and echoes the request id', async () => {
    const res = await h.app.inject({ url: '/api/v1/runs/abcdef99', headers: { 'x-request-id': 'req-123' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      type: 'urn:baton:problem:not_found',
      status: 404,
      code: 'not_found',
      field: 'run',
      instance: '/api/v1/runs/abcdef99',
      request_id: 'req-123',
    });
    const bad = await h.app.inject({
      url: '/api/v1/runs?limit=900',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['x-request-id']).not.toBe('bad id with spaces');
    expect(bad.json()).toMatchObject({
      code: 'invalid_input',
      field: 'limit',
      request_id: bad.headers['x-request-id'],
    });
    const unknown = await h.app.inject({ url: '/api/v1/nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'not_found', instance: '/api/v1/nope' });
    const cursor = await h.app.inject({ url: '/api/v1/runs?cursor=garbage' });
    expect(cursor.json()).toMatchObject({ status: 400, field: 'cursor' });
    const invalidWf = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/workflows/broken',
      payload: { source: 'name: broken\nsteps:\n  - id: a\n    needs: b\n    run: x\n' },
    });
    expect(invalidWf.statusCode).toBe(422);
    expect(invalidWf.json<{ errors: unknown[] }>().errors.length).toBeGreaterThan(0);
  });

  it('pages through every run exactly once with opaque cursors', async () => {
    const created = new Set<string>();
    for (let i = 0; i < 23; i++) created.add((await h.start('gated')).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { statusCode: number; json: <T>() => T } = await h.app.inject({
        url: `/api/v1/runs?workflow=gated&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(res.statusCode).toBe(200);
      const page = res.json<{
        items: Array<{ id: string; created_at: string }>;
        next_cursor: string | null;
      }>();
      seen.push(...page.items.map((r) => r.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.length).toBe(created.size);
    expect(new Set(seen)).toEqual(created);
    // newest first
    const sorted = [...seen].sort().reverse();
    expect(seen).toEqual(sorted);
    // the approval inbox pages the same way
    const inbox: string[] = [];
    cursor = null;
    do {
      const url = `/api/v1/approvals?limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { items: Array<{ run_id: string }>; next_cursor: string | null } = (
        await h.app.inject({ url })
      ).json();
      inbox.push(...page.items.map((w) => w.run_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(inbox).size).toBe(inbox.length);
    for (const id of created) expect(inbox).toContain(id);
  });

  it('Idempotency-Key: the same request returns the same run (200), a different one is refused (409)', async () => {
    const send = (who: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/workflows/simple/runs',
        headers: { 'idempotency-key': `key-${dialect}` },
        payload: { inputs: { who } },
      });
    const first = await send('a');
    expect(first.statusCode).toBe(201);
    const again = await send('a');
    expect(again.statusCode).toBe(200);
    expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    const other = await send('b');
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'idempotency_mismatch' });
  });

  it("approves as the token's user and controls runs", async () => {
    const run = await h.start('gated');
    await h.waitFor(run.id, (d) => d.run.status === 'awaiting_approval');
    const alice = await userWithRole(h, 'alice', 'member');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/runs/${run.id.slice(0, 13)}/steps/gate/approve`,
      headers: { authorization: `Bearer ${alice}` },
      payload: { comment: 'ship it' },
    });
    expect(res.statusCode).toBe(200);
    const d = await h.finish(run.id);
    expect(d.run.status).toBe('succeeded');
    expect(d.waits[0]).toMatchObject({ decidedBy: 'alice', comment: 'ship it' });
    const again = await h.app.inject({ method: 'POST', url: `/api/v1/runs/${run.id}/cancel`, payload: {} });
    expect(again.statusCode).toBe(409);
    const timeline = (await h.app.inject({ url: `/api/v1/runs/${run.id}/timeline?limit=500` })).json<{
      items: Array<{ type: string; id: number }>;
    }>();
    expect(timeline.items.map((e) => e.type)).toContain('approval.decided');
  });

  it('external events: create, list pending, mark processed once', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: { type: 'deploy.done', payload: { env: 'prod' } },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: number }>().id;
    const pending = (await h.app.inject({ url: '/api/v1/events/pending?type=deploy.done' })).json<{
      items: Array<{ id: number }>;
    }>();
    expect(pending.items.map((e) => e.id)).toContain(id);
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/events/${id}/processed` })).statusCode).toBe(
      200,
    );
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/events/${id}/processed` })).statusCode).toBe(
      409,
    );
    const after = (await h.app.inject({ url: '/api/v1/events/pending?type=deploy.done' })).json<{
      items: Array<{ id: number }>;
    }>();
    expect(after.items.map((e) => e.id)).not.toContain(id);
  });

  it('queue settings and per-key limits', async () => {
    const patched = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/queue',
      payload: { max_concurrent: 7 },
    });
    expect(patched.json()).toMatchObject({ max_concurrent: 7, paused: false });
    await h.app.inject({ method: 'PUT', url: '/api/v1/queue/limits/prod', payload: { limit: 3 } });
    const q = (await h.app.inject({ url: '/api/v1/queue' })).json<{
      keys: Array<{ key: string; limit: number | null }>;
    }>();
    expect(q.keys).toContainEqual(expect.objectContaining({ key: 'prod', limit: 3 }));
    await h.app.inject({ method: 'PATCH', url: '/api/v1/queue', payload: { max_concurrent: null } });
    const bad = await h.app.inject({ method: 'PATCH', url: '/api/v1/queue', payload: { max_concurrent: 0 } });
    expect(bad.statusCode).toBe(400);
  });

  it('follows the logs of a running step until it ends (real listener)', async () => {
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = h.app.server.address() as AddressInfo;
    const run = await h.start('ticker');
    await h.waitFor(run.id, (d) => d.steps.some((s) => s.status === 'running'));
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/runs/${run.id}/steps/tick/logs?follow=true`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const text = await res.text();
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { data?: string; end?: boolean; status?: string });
    expect(lines.at(-1)).toMatchObject({ end: true, status: 'succeeded' });
    const out = lines
      .filter((l) => l.data !== undefined)
      .map((l) => l.data)
      .join('');
    for (let i = 1; i <= 5; i++) expect(out).toContain(`line ${i}`);
    // range read after the fact: the same bytes, base64 round-trips
    const page = (
      await h.app.inject({ url: `/api/v1/runs/${run.id}/steps/tick/logs?encoding=base64&limit=1000` })
    ).json<{
      items: Array<{ data: string }>;
    }>();
    expect(page.items.map((c) => Buffer.from(c.data, 'base64').toString('utf8')).join('')).toBe(out);
  });

  it('a follow ends when the client disconnects', async () => {
    const { port } = h.app.server.address() as AddressInfo;
    const run = await h.start('ticker');
    await h.waitFor(run.id, (d) => d.steps.some((s) => s.status === 'running'));
    const ctl = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/runs/${run.id}/steps/tick/logs?follow=1`, {
      signal: ctl.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    ctl.abort();
    await h.finish(run.id);
    // the server still answers (the follow loop did not wedge anything)
    expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('serves Prometheus metrics with every family', async () => {
    await h.finish((await h.start('simple')).id);
    await h.app.inject({ url: '/api/v1/runs' });
    const res = await h.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    const samples = new Map<string, number>();
    for (const line of res.body.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
      expect(m, line).not.toBeNull();
      const value = Number(m![3]);
      expect(Number.isNaN(value) && m![3] !== 'NaN').toBe(false);
      samples.set(`${m![1]}${m![2] ?? ''}`, value);
    }
    const names = [...samples.keys()];
    for (const family of [
      'baton_runs',
      'baton_steps',
      'baton_queue_depth',
      'baton_lease_reclaims_total',
      'baton_step_duration_seconds_bucket',
      'baton_http_request_duration_seconds_bucket',
    ]) {
      expect(
        names.some((n) => n.startsWith(family)),
        family,
      ).toBe(true);
    }
    expect(samples.get('baton_runs{status="succeeded"}')).toBeGreaterThan(0);
    expect(samples.get('baton_step_duration_seconds_count{status="succeeded"}')).toBeGreaterThan(0);
    expect(names.some((n) => n.includes('route="/api/v1/runs"'))).toBe(true);
  });
});

describe('serve', () => {
  it('refuses a non-loopback BATON_HOST without BATON_ADMIN_TOKEN', async () => {
    const config = { ...testConfig('/tmp/baton-never-created'), host: '0.0.0.0', adminToken: undefined };
    const err = await serve(config, {
      examples: false,
      logger: silentLogger,
      signal: new AbortController().signal,
    }).catch((e: unknown) => e);
    expect(isBatonError(err, 'config_invalid')).toBe(true);
    expect((err as Error).message).toMatch(/BATON_HOST=0\.0\.0\.0.*BATON_ADMIN_TOKEN is not set/);
  });
});
