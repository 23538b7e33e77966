import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCursor, type FakeCursor } from '../../src/agents/fakes/fakeCursor.ts';
import { startFakeJules, type FakeJules } from '../../src/agents/fakes/fakeJules.ts';
import { createModelServer } from '../../src/agents/modelServer/createModelServer.ts';
import { loadScenarios } from '../../src/agents/modelServer/loadScenarios.ts';
import { CursorWebhookHub } from '../../src/agents/runtimes/cursor/CursorWebhookHub.ts';
import { signCursorWebhook } from '../../src/agents/runtimes/cursor/verifyCursorWebhook.ts';
import { createApiServer } from '../../src/api/app/createApiServer.ts';
import { parseWorkflow } from '../../src/domain/workflow/parseWorkflow.ts';
import { silentLogger } from '../../src/engine/engineDeps.ts';
import { openBaton, type BatonApp } from '../../src/main/openBaton.ts';
import { testConfig } from '../api/apiHarness.ts';
import type { ModelServer } from '../helpers/modelServer.ts';

/** `agent:` steps on the HTTP runtimes: Jules (plan approval as a Baton approval), Cursor (webhook), OpenAI-compatible. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const JULES_KEY = 'jules-step-key-0123456789';
const CURSOR_KEY = 'cursor-step-key-0123456789';
const MODEL_KEY = 'sk-http-step-key';
const SECRET = 'cursor-webhook-secret-0123456789abcdef';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('agent steps on HTTP runtimes (sqlite, stateful fakes)', () => {
  let dir: string;
  let app: BatonApp;
  let api: Awaited<ReturnType<typeof createApiServer>>;
  let jules: FakeJules;
  let cursor: FakeCursor;
  let models: ModelServer;
  let hub: CursorWebhookHub;
  const shutdown = new AbortController();

  beforeAll(async () => {
    jules = await startFakeJules({ apiKey: JULES_KEY });
    cursor = await startFakeCursor({ apiKey: CURSOR_KEY, tickMs: 30 });
    models = await createModelServer({
      scenarios: await loadScenarios(join(ROOT, 'test', 'fixtures', 'scenarios', 'agent-step-http.yaml')),
      apiKey: MODEL_KEY,
    });
    dir = mkdtempSync(join(tmpdir(), 'baton-agent-remote-'));
    const port = await freePort();
    hub = new CursorWebhookHub(`http://127.0.0.1:${port}/webhooks/cursor`, SECRET);
    const config = {
      ...testConfig(join(dir, 'data')),
      port,
      agentEndpoints: {
        gateway: { baseUrl: `${models.url}/v1`, apiKeyEnv: 'GATEWAY_KEY', model: 'gateway-model' },
      },
    };
    app = await openBaton(config, {
      logger: silentLogger,
      runner: true,
      cwd: dir,
      cursorWebhook: hub,
      agentPollMs: 20,
      agentEnv: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        JULES_BASE_URL: jules.baseUrl,
        JULES_API_KEY: JULES_KEY,
        CURSOR_BASE_URL: cursor.url,
        CURSOR_API_KEY: CURSOR_KEY,
        OPENAI_COMPATIBLE_BASE_URL: `${models.url}/v1`,
        OPENAI_COMPATIBLE_API_KEY: MODEL_KEY,
        GATEWAY_KEY: MODEL_KEY,
      },
    });
    api = await createApiServer({
      engine: app.engine,
      store: app.store,
      config,
      logger: silentLogger,
      shutdown: shutdown.signal,
      cursorWebhook: hub,
    });
    await api.listen({ host: '127.0.0.1', port });
    await app.engine.start();
  });
  afterAll(async () => {
    shutdown.abort();
    await api?.close();
    await app?.close(2_000);
    await Promise.all([jules?.close(), cursor?.close(), models?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(yaml: string): Promise<string> {
    const parsed = parseWorkflow(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await app.engine.registerWorkflow(parsed.workflow, { source: yaml, origin: 'api', baseDir: dir });
    return (await app.engine.createRun({ workflow: parsed.workflow.name, inputs: {} })).run.id;
  }
  const finish = (id: string) => app.engine.waitForRun(id, { signal: AbortSignal.timeout(30_000) });

  async function pendingPlan(runId: string) {
    for (let i = 0; i < 300; i++) {
      const w = (await app.engine.pendingApprovals()).find((x) => x.runId === runId);
      if (w) return w;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('no plan approval appeared');
  }

  const julesFlow = (name: string) => `
name: ${name}
steps:
  - id: implement
    agent:
      role: developer
      runtime: jules
      prompt: add a health route
      source: { repository: acme/demo, branch: main }
`;

  it('jules: the plan waits in the approval inbox; approved, the session goes on and the PR URL is an output', async () => {
    const id = await start(julesFlow('jules-approve'));
    const wait = await pendingPlan(id);
    expect(wait.payload).toMatchObject({ kind: 'agent_plan', step: 'implement' });
    expect(String(wait.payload.message)).toContain('Add the health route');
    expect(jules.calls.some((c) => c.path.endsWith(':approvePlan'))).toBe(false);
    expect((await app.engine.getRun(id)).steps.find((s) => s.stepKey === 'implement')?.status).toBe(
      'running',
    );

    await app.engine.approve(id, 'implement', { by: 'alice', comment: 'looks right' });
    const run = await finish(id);
    expect(run.status).toBe('succeeded');
    const step = (await app.engine.getRun(id)).steps.find((s) => s.stepKey === 'implement')!;
    expect(step.outputs?.pullRequestUrl).toMatch(/^https:\/\/github\.com\/acme\/demo\/pull\/\d+$/);
    expect(String(step.outputs?.patch)).toContain('+++ b/src/health.ts');
    expect(jules.calls.filter((c) => c.path.endsWith(':approvePlan'))).toHaveLength(1);
    const t = await app.engine.readTranscript(id, 'implement', null, -1, 1000);
    expect(t.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['session', 'plan', 'file_change', 'result']),
    );
    const attempts = await app.store.listAgentAttempts(id);
    expect(attempts).toMatchObject([
      { runtime: 'jules', status: 'succeeded', sessionId: step.outputs?.sessionId },
    ]);
  });

  it('jules: a rejected plan fails the step with the reason, and the plan is never approved', async () => {
    const before = jules.calls.filter((c) => c.path.endsWith(':approvePlan')).length;
    const id = await start(julesFlow('jules-reject'));
    await pendingPlan(id);
    await app.engine.reject(id, 'implement', { by: 'bob', comment: 'wrong approach' });
    const run = await finish(id);
    expect(run.status).toBe('failed');
    const step = (await app.engine.getRun(id)).steps.find((s) => s.stepKey === 'implement')!;
    expect(step.error?.message).toMatch(/plan rejected/);
    expect(jules.calls.filter((c) => c.path.endsWith(':approvePlan')).length).toBe(before);
  });

  it('cursor: the step finishes on the signed webhook and outputs the PR URL; a bad signature is refused', async () => {
    const id = await start(`
name: cursor-step
steps:
  - id: implement
    agent:
      runtime: cursor
      prompt: add a health route
      source: { repository: acme/demo, branch: main }
`);
    const run = await finish(id);
    const step = (await app.engine.getRun(id)).steps.find((s) => s.stepKey === 'implement')!;
    expect(step.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(step.outputs?.pullRequestUrl).toMatch(/^https:\/\//);
    await cursor.settled();
    expect(cursor.webhooks.length).toBeGreaterThan(0);
    expect(cursor.webhooks.every((w) => w.status === 202)).toBe(true);
    const launch = cursor.calls.find((c) => c.method === 'POST' && c.path === '/v0/agents');
    expect(launch?.body).toMatchObject({ webhook: { url: hub.url } });

    const body = JSON.stringify({ event: 'statusChange', id: 'bc_x', status: 'FINISHED' });
    const bad = await api.inject({
      method: 'POST',
      url: '/webhooks/cursor',
      headers: { 'content-type': 'application/json', 'x-webhook-signature': `sha256=${'0'.repeat(64)}` },
      payload: body,
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'unauthenticated' });
    const missing = await api.inject({ method: 'POST', url: '/webhooks/cursor', payload: body });
    expect(missing.statusCode).toBe(401);
    const good = await api.inject({
      method: 'POST',
      url: '/webhooks/cursor',
      headers: { 'content-type': 'application/json', 'x-webhook-signature': signCursorWebhook(body, SECRET) },
      payload: body,
    });
    expect(good.statusCode).toBe(202);
  });

  it('openai-compatible: the reviewer answers with structured output; the verdict is a step output', async () => {
    const id = await start(`
name: http-review
steps:
  - id: review
    agent:
      role: reviewer
      runtime: openai-compatible
      model: nemotron-test
      prompt: "[scenario:step-http-reviewer] review the change"
`);
    const run = await finish(id);
    expect(run.status).toBe('succeeded');
    const step = (await app.engine.getRun(id)).steps.find((s) => s.stepKey === 'review')!;
    expect(step.outputs).toMatchObject({ verdict: 'changes_requested', tokens_in: '120', tokens_out: '30' });
    expect(JSON.parse(String(step.outputs?.comments))).toEqual([
      { path: 'src/list.ts', line: 3, body: 'handle the empty list' },
    ]);
    const req = models.requests.find((r) => r.api === 'chat');
    expect(req?.body).toMatchObject({ model: 'nemotron-test', response_format: { type: 'json_schema' } });
  });

  it('a named endpoint gives the base URL, the key (by variable) and the model; an unknown one fails clearly', async () => {
    const id = await start(`
name: http-review-gateway
steps:
  - id: review
    agent:
      role: reviewer
      runtime: openai-compatible
      endpoint: gateway
      prompt: "[scenario:step-http-reviewer] review the change"
`);
    expect((await finish(id)).status).toBe('succeeded');
    const req = models.requests.filter((r) => r.api === 'chat').at(-1);
    expect(req?.body).toMatchObject({ model: 'gateway-model' });
    const bad = await start(`
name: http-review-nowhere
steps:
  - id: review
    agent: { role: reviewer, runtime: openai-compatible, endpoint: nowhere, prompt: x }
`);
    expect((await finish(bad)).status).toBe('failed');
    const step = (await app.engine.getRun(bad)).steps[0]!;
    expect(step.error?.message).toContain('endpoint "nowhere" is not configured (agents.endpoints: gateway)');
  });
});
