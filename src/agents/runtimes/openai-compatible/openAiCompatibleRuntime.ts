import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { HttpRunContext } from '../../run/http/HttpRunContext.ts';
import { runHttpAgent, type HttpOutcome } from '../../run/http/runHttpAgent.ts';
import {
  HTTP_RUNTIME_API_VERSION,
  type HttpAgentLaunch,
  type HttpAgentRuntime,
} from '../../run/HttpAgentRuntime.ts';
import { chatUsage } from './chatUsage.ts';
import { parseJsonOutput } from './parseJsonOutput.ts';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const DEFAULT_MODEL = 'gpt-4o-mini';

/** The streaming Chat Completions request for a launch (JSON-schema output when the role has a contract). */
export function chatRequest(launch: HttpAgentLaunch): ChatCompletionCreateParamsStreaming {
  const format = launch.responseFormat;
  return {
    model: launch.model ?? DEFAULT_MODEL,
    stream: true,
    stream_options: { include_usage: true },
    messages: [
      ...(launch.systemPrompt === undefined
        ? []
        : [{ role: 'system' as const, content: launch.systemPrompt }]),
      { role: 'user', content: launch.prompt },
    ],
    ...(format === undefined
      ? {}
      : {
          response_format: {
            type: 'json_schema',
            json_schema: { name: format.name, schema: format.schema, strict: format.strict ?? false },
          },
        }),
  };
}

async function converse(launch: HttpAgentLaunch, ctx: HttpRunContext): Promise<HttpOutcome> {
  const client = new OpenAI({
    baseURL: launch.endpoint.baseUrl ?? DEFAULT_BASE_URL,
    apiKey: launch.endpoint.apiKey,
    maxRetries: 0,
    ...(launch.endpoint.extraHeaders === undefined ? {} : { defaultHeaders: launch.endpoint.extraHeaders }),
  });
  const request = chatRequest(launch);
  ctx.emit([{ kind: 'session', model: request.model }], { model: request.model });
  const stream = await client.chat.completions.create(request, { signal: ctx.signal });
  let text = '';
  let finish: string | null = null;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    const delta = choice?.delta.content;
    if (delta) {
      text += delta;
      ctx.emit([{ kind: 'message', role: 'assistant', text: delta, delta: true }], chunk);
    }
    if (choice?.finish_reason) finish = choice.finish_reason;
    if (chunk.usage) ctx.emit([chatUsage(chunk.usage)], chunk);
  }
  if (finish === 'length') {
    const reason =
      'the model stopped at its output token limit (finish_reason "length"): raise max tokens or shorten the task';
    ctx.emit([{ kind: 'result', status: 'error', text, error: reason, num_turns: 1 }], {
      finish_reason: finish,
    });
    return { status: 'failed', reason, outputs: { text } };
  }
  if (launch.responseFormat === undefined) {
    ctx.emit([{ kind: 'result', status: 'success', text, num_turns: 1 }], { finish_reason: finish });
    return { status: 'succeeded', reason: 'the model answered', outputs: { text } };
  }
  const json = parseJsonOutput(text);
  if (json === undefined) {
    const reason = `the model's answer is not JSON (output contract "${launch.responseFormat.name}"): ${text.slice(0, 200)}`;
    ctx.emit([{ kind: 'result', status: 'error', text, error: reason, num_turns: 1 }], {
      finish_reason: finish,
    });
    return { status: 'failed', reason, outputs: { text } };
  }
  ctx.emit([{ kind: 'result', status: 'success', text, num_turns: 1 }], { finish_reason: finish });
  return { status: 'succeeded', reason: 'the model answered', outputs: { text, json } };
}

/**
 * Any OpenAI-compatible Chat Completions API (the official SDK with `baseURL`): one streamed turn for
 * roles that write text or JSON — message deltas, usage, result. No tools yet, so `maxTurns` does not
 * apply. The JSON is checked to parse, not against the schema (the engine validates the contract).
 */
export const openAiCompatibleRuntime: HttpAgentRuntime = {
  apiVersion: HTTP_RUNTIME_API_VERSION,
  id: 'openai-compatible',
  run: (launch, opts = {}, signal) =>
    runHttpAgent({
      api: 'the OpenAI-compatible API',
      keyHint: "the openai-compatible endpoint's apiKey",
      apiKey: launch.endpoint.apiKey,
      opts,
      signal,
      body: (ctx) => converse(launch, ctx),
    }),
};
