import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ModelServer, parseSse, startModelServer } from '../helpers/modelServer.ts';

const KEY = 'sk-openai-test';
const SCENARIO = `
name: tools
default: true
usage: { input_tokens: 40, output_tokens: 9, cache_read_tokens: 4, reasoning_tokens: 2 }
turns:
  - think: "Thinking it over."
    say: "Calling tools."
    shell: "echo hi"
    write_file: { path: out.txt, content: "x\\n" }
  - final: "All done."
`;

let server: ModelServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startModelServer({ scenarios: [SCENARIO], apiKey: KEY });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: KEY, maxRetries: 0 });
});
afterAll(() => server.close());

describe('model server: OpenAI Chat Completions (the openai SDK)', () => {
  it('answers tool_calls without streaming, then the final text after the tool messages', async () => {
    const first = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'go' }],
    });
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('Calling tools.');
    const calls = choice?.message.tool_calls ?? [];
    expect(
      calls.map((c) =>
        c.type === 'function' ? [c.function.name, JSON.parse(c.function.arguments) as unknown] : [],
      ),
    ).toEqual([
      ['shell', { command: 'echo hi' }],
      ['write_file', { path: 'out.txt', content: 'x\n' }],
    ]);
    expect(first.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 9, total_tokens: 49 });
    const second = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, tool_calls: calls },
        ...calls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: `result of ${c.id}` })),
      ],
    });
    expect(second.choices[0]?.message.content).toBe('All done.');
    expect(server.requests.at(-1)?.toolResults.map((r) => r.callId)).toEqual(calls.map((c) => c.id));
  });

  it('streams the same answer (SDK accumulation, usage chunk)', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'stream please' }],
      stream_options: { include_usage: true },
    });
    const done = await stream.finalChatCompletion();
    const calls = done.choices[0]?.message.tool_calls ?? [];
    expect(
      calls.map((c) => (c.type === 'function' ? (JSON.parse(c.function.arguments) as unknown) : null)),
    ).toEqual([{ command: 'echo hi' }, { path: 'out.txt', content: 'x\n' }]);
    expect(done.choices[0]?.message.content).toBe('Calling tools.');
    expect(done.usage?.prompt_tokens).toBe(40);
  });
});

describe('model server: OpenAI Responses API', () => {
  it('streams reasoning, message, function_call and custom_tool_call items (SDK accumulation)', async () => {
    const stream = client.responses.stream({ model: 'gpt-5.5', input: 'responses please' });
    const done = await stream.finalResponse();
    expect(done.output.map((o) => o.type)).toEqual([
      'reasoning',
      'message',
      'function_call',
      'custom_tool_call',
    ]);
    const [, , fn, custom] = done.output;
    expect(fn).toMatchObject({ name: 'exec_command', arguments: '{"cmd":"echo hi"}' });
    expect(custom).toMatchObject({
      name: 'apply_patch',
      input: '*** Begin Patch\n*** Add File: out.txt\n+x\n*** End Patch\n',
    });
    expect(done.usage).toMatchObject({
      input_tokens: 40,
      output_tokens: 9,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens_details: { reasoning_tokens: 2 },
    });
  });

  it('answers without streaming, and counts turns from the input items', async () => {
    const first = await client.responses.create({ model: 'gpt-5.5', input: 'plain' });
    const calls = first.output.filter((o) => o.type === 'function_call' || o.type === 'custom_tool_call');
    const second = await client.responses.create({
      model: 'gpt-5.5',
      input: [
        { role: 'user', content: 'plain' },
        ...calls,
        ...calls.map((c) =>
          c.type === 'custom_tool_call'
            ? { type: 'custom_tool_call_output' as const, call_id: c.call_id, output: 'patched' }
            : { type: 'function_call_output' as const, call_id: c.call_id, output: 'hi' },
        ),
      ],
    });
    expect(second.output_text).toBe('All done.');
    expect(server.requests.at(-1)).toMatchObject({
      turn: 1,
      toolResults: [{ output: 'hi' }, { output: 'patched' }],
    });
  });
});

interface GeminiChunk {
  candidates: { content: { parts: Record<string, unknown>[] }; finishReason?: string }[];
  usageMetadata?: unknown;
}

describe('model server: Gemini', () => {
  const gemini = (path: string, key = KEY) =>
    fetch(`${server.url}/v1beta/models/gemini-test:${path}`, {
      method: 'POST',
      headers: { 'x-goog-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'Working directory: /g\n[scenario:tools]' }] }],
      }),
    });

  it('streams text, thought and functionCall parts; the last chunk has finishReason and usageMetadata', async () => {
    const chunks = parseSse(await (await gemini('streamGenerateContent?alt=sse')).text()).map(
      (e) => e.data as GeminiChunk,
    );
    const parts = chunks.flatMap((c) => c.candidates[0]?.content.parts ?? []);
    expect(parts.filter((p) => p.thought === true).length).toBeGreaterThan(0);
    expect(parts.filter((p) => p.functionCall !== undefined).map((p) => p.functionCall)).toEqual([
      {
        id: expect.any(String) as unknown,
        name: 'run_shell_command',
        args: { command: 'echo hi', description: expect.any(String) as unknown },
      },
      {
        id: expect.any(String) as unknown,
        name: 'write_file',
        args: { file_path: '/g/out.txt', content: 'x\n' },
      },
    ]);
    const last = chunks.at(-1);
    expect(last?.candidates[0]?.finishReason).toBe('STOP');
    expect(last?.usageMetadata).toEqual({
      promptTokenCount: 40,
      candidatesTokenCount: 9,
      totalTokenCount: 49,
      cachedContentTokenCount: 4,
      thoughtsTokenCount: 2,
    });
    expect(server.requests.at(-1)).toMatchObject({ api: 'gemini', model: 'gemini-test' });
  });

  it('answers generateContent in one JSON, and checks x-goog-api-key', async () => {
    const one = (await (await gemini('generateContent')).json()) as GeminiChunk;
    expect(one.candidates[0]?.content.parts).toHaveLength(4);
    const denied = await gemini('generateContent', 'nope');
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });
});
