import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCursor, type FakeCursor } from '../../src/agents/fakes/fakeCursor.ts';
import type { HttpAgentLaunch } from '../../src/agents/run/HttpAgentRuntime.ts';
import { CursorWebhookHub } from '../../src/agents/runtimes/cursor/CursorWebhookHub.ts';
import { cursorRuntime } from '../../src/agents/runtimes/cursor/cursorRuntime.ts';
import {
  signCursorWebhook,
  verifyCursorWebhook,
} from '../../src/agents/runtimes/cursor/verifyCursorWebhook.ts';
import type { TranscriptEvent } from '../../src/agents/transcript/transcriptEvent.ts';

const KEY = 'cursor-test-key-0123456789';
const SECRET = 'webhook-secret-0123456789abcdef0123456789';
let fake: FakeCursor;
beforeAll(async () => {
  fake = await startFakeCursor({ apiKey: KEY, errorMarker: '[error]' });
});
afterAll(() => fake.close());

const launch = (extra: Partial<HttpAgentLaunch> = {}): HttpAgentLaunch => ({
  prompt: 'add a health route',
  endpoint: { baseUrl: fake.url, apiKey: KEY },
  source: { repository: 'acme/demo', branch: 'main' },
  ...extra,
});

/** A webhook receiver on 127.0.0.1 that hands raw bodies to the hub, as Baton's route will. */
async function startReceiver(
  hub: () => CursorWebhookHub | undefined,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = hub()?.deliver(Buffer.concat(chunks), req.headers['x-webhook-signature']);
      if (got === undefined) res.writeHead(503).end('no hub yet');
      else res.writeHead(got.ok ? 200 : got.httpStatus).end(got.ok ? 'ok' : got.reason);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/cursor`, server };
}

describe('cursor HTTP runtime (stateful fake of the v0 API)', () => {
  it('launches, polls to FINISHED with the PR URL, and maps the conversation to messages', async () => {
    const events: TranscriptEvent[] = [];
    const result = await cursorRuntime.run(launch({ targetBranch: 'baton/health' }), {
      pollIntervalMs: 5,
      onEvent: (e) => events.push(e),
    });
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toMatchObject({ branchName: 'baton/health' });
    expect(result.outputs.pullRequestUrl).toMatch(/^https:\/\/github\.com\/acme\/demo\/pull\/\d+$/);
    const messages = events.flatMap((e) => (e.kind === 'message' ? [[e.role, e.text]] : []));
    expect(messages).toEqual([
      ['user', 'add a health route'],
      ['assistant', 'Working on: add a health route'],
      ['assistant', 'Changes pushed.'],
    ]);
    const create = fake.calls.find((c) => c.method === 'POST' && c.path === '/v0/agents');
    expect(create?.body).toEqual({
      prompt: { text: 'add a health route' },
      source: { repository: 'https://github.com/acme/demo', ref: 'main' },
      target: { autoCreatePr: true, branchName: 'baton/health' },
    });
    expect(create?.headers.authorization).toBe(`Basic ${Buffer.from(`${KEY}:`).toString('base64')}`);
    expect(JSON.stringify(events)).not.toContain(KEY);
  });

  it('sends a follow-up to an existing agent and reports only the new messages', async () => {
    const first = await cursorRuntime.run(launch(), { pollIntervalMs: 5 });
    const id = String(first.outputs.agentId);
    const events: TranscriptEvent[] = [];
    const result = await cursorRuntime.run(launch({ prompt: 'also add a test', resumeSessionId: id }), {
      pollIntervalMs: 5,
      onEvent: (e) => events.push(e),
    });
    expect(result.status).toBe('succeeded');
    expect(fake.calls.some((c) => c.path === `/v0/agents/${id}/followup`)).toBe(true);
    expect(events.flatMap((e) => (e.kind === 'message' ? [e.text] : []))).toEqual([
      'also add a test',
      'Follow-up done: also add a test',
    ]);
  });

  it('reports an agent that ends in ERROR as failed', async () => {
    const result = await cursorRuntime.run(launch({ prompt: '[error] break it' }), { pollIntervalMs: 5 });
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('status ERROR');
  });

  it('POSTs stop when the run is cancelled, and on the wall-time limit', async () => {
    const slow = await startFakeCursor({ apiKey: KEY, stepMs: 10_000 });
    try {
      const ctl = new AbortController();
      setTimeout(() => ctl.abort('cancelled'), 150);
      const l = launch({ endpoint: { baseUrl: slow.url, apiKey: KEY } });
      const cancelled = await cursorRuntime.run(l, { pollIntervalMs: 20 }, ctl.signal);
      expect(cancelled.status).toBe('cancelled');
      const timedOut = await cursorRuntime.run(l, { pollIntervalMs: 20, limits: { maxWallMs: 200 } });
      expect(timedOut.status).toBe('timed_out');
      expect(
        slow.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/stop')).map((c) => c.path),
      ).toEqual(['/v0/agents/bc_1/stop', '/v0/agents/bc_2/stop']);
    } finally {
      await slow.close();
    }
  });

  it('finishes on a signed webhook instead of polling', async () => {
    const holder: CursorWebhookHub[] = [];
    const receiver = await startReceiver(() => holder[0]);
    const hub = new CursorWebhookHub(receiver.url, SECRET);
    holder.push(hub);
    // the fake advances on its own timer; with a webhook the runtime polls only once a minute,
    // so only the webhook can end the run within the test's bound
    const timed = await startFakeCursor({ apiKey: KEY, tickMs: 20 });
    try {
      const started = Date.now();
      const result = await cursorRuntime.run(launch({ endpoint: { baseUrl: timed.url, apiKey: KEY } }), {
        webhook: hub,
        limits: { maxWallMs: 10_000 },
      });
      expect(result.status).toBe('succeeded');
      expect(result.outputs.pullRequestUrl).toBe('https://github.com/acme/demo/pull/1');
      expect(Date.now() - started).toBeLessThan(5000);
      await timed.settled();
      expect(timed.webhooks.map((w) => w.status)).toEqual([200]);
      expect(
        timed.calls.filter((c) => c.method === 'GET' && c.path === '/v0/agents/bc_1').length,
      ).toBeLessThanOrEqual(2);
      const create = timed.calls.find((c) => c.path === '/v0/agents');
      expect(create?.body).toMatchObject({ webhook: { url: receiver.url, secret: SECRET } });
    } finally {
      await timed.close();
      await new Promise((r) => receiver.server.close(r));
    }
  });

  it('verifies webhook signatures: valid accepted; bad, malformed or missing rejected', () => {
    const body = JSON.stringify({ event: 'statusChange', id: 'bc_9', status: 'FINISHED' });
    expect(verifyCursorWebhook(body, signCursorWebhook(body, SECRET), SECRET)).toEqual({ ok: true });
    expect(verifyCursorWebhook(body, signCursorWebhook(body, 'another-secret'), SECRET)).toMatchObject({
      ok: false,
    });
    expect(verifyCursorWebhook(`${body} `, signCursorWebhook(body, SECRET), SECRET)).toMatchObject({
      ok: false,
    });
    expect(verifyCursorWebhook(body, 'sha256=abc', SECRET)).toMatchObject({ ok: false, reason: /malformed/ });
    expect(verifyCursorWebhook(body, undefined, SECRET)).toMatchObject({ ok: false, reason: /missing/ });
    const hub = new CursorWebhookHub('http://127.0.0.1/x', SECRET);
    expect(hub.deliver(body, 'sha256=' + '0'.repeat(64))).toMatchObject({ ok: false, httpStatus: 401 });
    expect(hub.deliver(body, signCursorWebhook(body, SECRET))).toEqual({
      ok: true,
      agentId: 'bc_9',
      status: 'FINISHED',
    });
  });

  it('fails on a bad key with a message naming the key', async () => {
    const result = await cursorRuntime.run(
      launch({ endpoint: { baseUrl: fake.url, apiKey: 'bad-cursor-key-xyz' } }),
    );
    expect(result.status).toBe('failed');
    expect(result.reason).toContain(
      "Cursor rejected the API key (HTTP 401): set a valid key in the cursor endpoint's apiKey",
    );
    expect(result.reason).not.toContain('bad-cursor-key-xyz');
  });
});
