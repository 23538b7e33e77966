import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelServer, parseSse, startModelServer } from '../helpers/modelServer.ts';

const KEY = 'sk-test-key';
const SCENARIOS = [
  {
    name: 'write',
    turns: [
      {
        think: 'plan',
        say: 'Writing.',
        write_file: { path: 'hello.txt', content: 'Hi\n' },
        usage: { input_tokens: 11, output_tokens: 7, cache_read_tokens: 3 },
      },
      { final: { done: true }, usage: { input_tokens: 13, output_tokens: 5 } },
    ],
  },
  {
    name: 'limited',
    turns: [{ error: { status: 429, retry_after: 3, times: 1 } }, { say: 'after the limit' }],
  },
  { name: 'bad', turns: [{ error: { status: 400, message: 'fake error 400' } }] },
  { name: 'cut', turns: [{ error: { cut_after: 2 } }, { say: 'x'.repeat(200) }] },
  { name: 'slow', delay_ms: 60, turns: [{ say: 'a'.repeat(60) }] },
];

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ scenarios: SCENARIOS, apiKey: KEY });
});
afterAll(() => server.close());

const anthropic = (body: object, key = KEY) =>
  fetch(`${server.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-test', max_tokens: 100, stream: true, ...body }),
  });
const user = (text: string) => ({ role: 'user', content: [{ type: 'text', text }] });
const cwdText = 'Primary working directory: /w/proj';

interface AnthropicEvent {
  type: string;
  content_block?: { type: string; id?: string };
  delta?: { type?: string; partial_json?: string; stop_reason?: string };
  usage?: unknown;
}

describe('model server: Anthropic Messages API', () => {
  it('streams text, thinking and tool_use blocks, then takes the tool result on the next turn', async () => {
    const res = await anthropic({ messages: [user(cwdText), user('[scenario:write] go')] });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSse(await res.text());
    expect([...new Set(events.map((e) => e.event))]).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = events.map((e) => e.data as AnthropicEvent);
    expect(data.filter((d) => d.type === 'content_block_start').map((d) => d.content_block?.type)).toEqual([
      'thinking',
      'text',
      'tool_use',
    ]);
    const json = data
      .filter((d) => d.delta?.type === 'input_json_delta')
      .map((d) => d.delta?.partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ file_path: '/w/proj/hello.txt', content: 'Hi\n' });
    const delta = data.find((d) => d.type === 'message_delta');
    expect(delta?.delta?.stop_reason).toBe('tool_use');
    expect(delta?.usage).toEqual({
      input_tokens: 11,
      output_tokens: 7,
      cache_read_input_tokens: 3,
      cache_creation_input_tokens: 0,
    });
    const toolId = data.find((d) => d.content_block?.type === 'tool_use')?.content_block?.id ?? '';

    const second = await anthropic({
      stream: false,
      messages: [
        user('[scenario:write] go'),
        { role: 'assistant', content: [{ type: 'tool_use', id: toolId, name: 'Write', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolId, content: 'File created' }] },
      ],
    });
    expect(await second.json()).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: '{"done":true}' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 13, output_tokens: 5 },
    });
    const rec = server.requests.filter((r) => r.scenario === 'write' && r.api === 'anthropic');
    expect(rec.map((r) => r.turn)).toEqual([0, 1]);
    expect(rec[1]?.toolResults).toEqual([
      { callId: toolId, name: undefined, output: 'File created', isError: false },
    ]);
    expect(rec[0]?.headers['x-api-key']).toBe(KEY);

    const beyond = await anthropic({
      stream: false,
      messages: [
        user('[scenario:write] go'),
        { role: 'assistant', content: 'one' },
        user('more'),
        { role: 'assistant', content: 'two' },
        user('and more'),
      ],
    });
    expect(JSON.stringify(await beyond.json())).toContain('scenario \\"write\\" has no turn 3');
    expect(server.requests.at(-1)).toMatchObject({ outcome: 'exhausted', turn: 2 });
  });

  it('answers HEAD / and count_tokens, refuses a wrong key with 401', async () => {
    expect((await fetch(`${server.url}/`, { method: 'HEAD' })).status).toBe(200);
    const count = await fetch(`${server.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'x-api-key': KEY },
      body: JSON.stringify({ messages: [user('hello')] }),
    });
    expect(await count.json()).toMatchObject({ input_tokens: expect.any(Number) as unknown });
    const denied = await anthropic({ messages: [user('[scenario:write]')] }, 'wrong');
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });
});

describe('model server: failure injection', () => {
  const at = (seconds: number) => Date.now() + seconds * 1000;

  it('answers 429 with every retry header, then the reply on the next attempt', async () => {
    const first = await anthropic({ messages: [user('[scenario:limited]')] });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    const reset = Date.parse(first.headers.get('anthropic-ratelimit-requests-reset') ?? '');
    expect(Math.abs(reset - at(3))).toBeLessThan(2000);
    expect(first.headers.get('anthropic-ratelimit-tokens-reset')).not.toBeNull();
    expect(first.headers.get('x-ratelimit-reset-requests')).toBe('3s');
    expect(await first.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
    const second = await anthropic({ messages: [user('[scenario:limited]')] });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('after the limit');
  });

  it('shapes errors per API (400 with the scenario message)', async () => {
    const body = JSON.stringify({
      model: 'm',
      input: '[scenario:bad]',
      contents: [{ role: 'user', parts: [{ text: '[scenario:bad]' }] }],
    });
    const openai = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      body,
    });
    expect(openai.status).toBe(400);
    expect(await openai.json()).toEqual({
      error: { message: 'fake error 400', type: 'invalid_request_error', param: null, code: null },
    });
    const gemini = await fetch(`${server.url}/v1beta/models/g:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': KEY },
      body,
    });
    expect(await gemini.json()).toEqual({
      error: { code: 400, message: 'fake error 400', status: 'INVALID_ARGUMENT', details: [] },
    });
  });

  it('cuts a stream after N events', async () => {
    const res = await anthropic({ messages: [user('[scenario:cut]')] });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(server.requests.at(-1)?.outcome).toBe('cut');
  });

  it('slows a stream down', async () => {
    const started = Date.now();
    const events = parseSse(await (await anthropic({ messages: [user('[scenario:slow]')] })).text());
    expect(events.length).toBeGreaterThan(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual((events.length - 1) * 60 - 20);
  });

  it('names the known scenarios and endpoints when a request matches none', async () => {
    const res = await anthropic({ messages: [user('[scenario:missing]')] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/unknown scenario \\"missing\\".*write, limited/);
    const nf = await fetch(`${server.url}/v2/nothing`, { method: 'POST' });
    expect(nf.status).toBe(404);
    expect(JSON.stringify(await nf.json())).toContain('/v1/responses');
  });

  it('blocks clients that use it as a proxy to the outside', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: server.port,
        method: 'CONNECT',
        path: 'example.com:443',
      });
      req.on('connect', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect(server.requests.at(-1)).toMatchObject({ outcome: 'blocked', path: 'example.com:443' });
  });
});
