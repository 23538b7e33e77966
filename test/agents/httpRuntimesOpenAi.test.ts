import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpAgentLaunch } from '../../src/agents/run/HttpAgentRuntime.ts';
import { openAiCompatibleRuntime } from '../../src/agents/runtimes/openai-compatible/openAiCompatibleRuntime.ts';
import type { TranscriptEvent } from '../../src/agents/transcript/transcriptEvent.ts';
import { type ModelServer, modelRequests, startModelServer } from '../helpers/modelServer.ts';

const KEY = 'sk-http-runtime-test-key-0123456789';
const SCENARIOS = readFileSync(new URL('../fixtures/scenarios/http-runtimes.yaml', import.meta.url), 'utf8');
const SCHEMA = {
  type: 'object',
  properties: { title: { type: 'string' }, steps: { type: 'array', items: { type: 'string' } } },
  required: ['title', 'steps'],
};

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ scenarios: [SCENARIOS], apiKey: KEY });
});
afterAll(() => server.close());

const launch = (scenario: string, extra: Partial<HttpAgentLaunch> = {}): HttpAgentLaunch => ({
  prompt: `[scenario:${scenario}] write the spec`,
  model: 'gpt-test',
  endpoint: { baseUrl: `${server.url}/v1`, apiKey: KEY },
  ...extra,
});

describe('openai-compatible HTTP runtime (scripted model server, Chat Completions)', () => {
  it('streams a structured JSON answer with usage, and asks for the json_schema format', async () => {
    const events: TranscriptEvent[] = [];
    const result = await openAiCompatibleRuntime.run(
      launch('spec-json', {
        systemPrompt: 'You are the spec writer.',
        responseFormat: { name: 'spec', schema: SCHEMA },
      }),
      { onEvent: (e) => events.push(e) },
    );
    expect(result.status).toBe('succeeded');
    expect(result.outputs.json).toEqual({
      title: 'Add a health check',
      steps: ['write the route', 'test it'],
    });
    expect(result.summary.usage).toMatchObject({ input: 210, output: 42, cached_input: 10 });
    expect(result.summary.status).toBe('success');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events[0]).toMatchObject({ kind: 'session', model: 'gpt-test', v: 1 });
    expect(events.some((e) => e.kind === 'message' && e.delta)).toBe(true);
    expect(events.at(-1)?.kind).toBe('result');
    const body = modelRequests(server, 'spec-json')[0]?.body as Record<string, unknown>;
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'spec', schema: SCHEMA, strict: false },
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are the spec writer.' },
      { role: 'user', content: '[scenario:spec-json] write the spec' },
    ]);
    expect(JSON.stringify(events)).not.toContain(KEY);
  });

  it('falls back to reading JSON out of a fenced block when the server ignores the format', async () => {
    const result = await openAiCompatibleRuntime.run(
      launch('fenced-json', { responseFormat: { name: 'ok', schema: { type: 'object' } } }),
    );
    expect(result.status).toBe('succeeded');
    expect(result.outputs.json).toEqual({ ok: true });
  });

  it('returns plain text when the role has no output contract', async () => {
    const result = await openAiCompatibleRuntime.run(launch('plain-text'));
    expect(result).toMatchObject({
      status: 'succeeded',
      outputs: { text: 'Release notes: fixed everything.' },
    });
    expect(result.summary.final_text).toBe('Release notes: fixed everything.');
  });

  it('ends a 429 with reset headers as rate_limited with rateLimitResetAt', async () => {
    const before = Date.now();
    const result = await openAiCompatibleRuntime.run(launch('limited'));
    expect(result.status).toBe('rate_limited');
    expect(result.rateLimitResetAt).toBeGreaterThanOrEqual(before + 29_000);
    expect(result.rateLimitResetAt).toBeLessThan(Date.now() + 31_000);
  });

  it('names the key on a 401 and never shows it', async () => {
    const result = await openAiCompatibleRuntime.run(
      launch('plain-text', {
        endpoint: { baseUrl: `${server.url}/v1`, apiKey: 'sk-wrong-key-abcdefghijklmnop' },
      }),
    );
    expect(result.status).toBe('failed');
    expect(result.reason).toContain("openai-compatible endpoint's apiKey");
    expect(result.reason).not.toContain('sk-wrong-key-abcdefghijklmnop');
  });

  it('stops a slow stream at the wall-time limit, and a cancelled one as cancelled', async () => {
    const slow = await openAiCompatibleRuntime.run(launch('slow'), { limits: { maxWallMs: 300 } });
    expect(slow.status).toBe('timed_out');
    expect(slow.durationMs).toBeLessThan(3000);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort('cancelled'), 200);
    const cancelled = await openAiCompatibleRuntime.run(launch('slow'), {}, ctl.signal);
    expect(cancelled).toMatchObject({ status: 'cancelled', reason: 'cancelled (cancelled)' });
  });

  it('stops at the token budget', async () => {
    const result = await openAiCompatibleRuntime.run(launch('spec-json'), { limits: { maxTokens: 100 } });
    expect(result.status).toBe('budget_exceeded');
  });
});
