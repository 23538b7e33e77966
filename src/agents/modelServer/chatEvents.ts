import type { ModelReply } from './buildModelReply.ts';
import { chunkText } from './chunkText.ts';
import type { SseEvent } from './writeSse.ts';

function usage(reply: ModelReply) {
  const u = reply.usage;
  return {
    prompt_tokens: u.input_tokens,
    completion_tokens: u.output_tokens,
    total_tokens: u.input_tokens + u.output_tokens,
    prompt_tokens_details: { cached_tokens: u.cache_read_tokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
  };
}

const finishReason = (reply: ModelReply) => (reply.stopReason === 'tool_use' ? 'tool_calls' : 'stop');

function toolCalls(reply: ModelReply) {
  return reply.blocks.flatMap((b) =>
    b.type === 'tool'
      ? [
          {
            id: b.id,
            type: 'function',
            function: {
              name: b.name,
              arguments: typeof b.input === 'string' ? b.input : JSON.stringify(b.input),
            },
          },
        ]
      : [],
  );
}

const text = (reply: ModelReply) =>
  reply.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n') || null;

/** The non-streaming Chat Completions answer (thinking blocks are dropped: the API has no place for them). */
export function chatCompletion(reply: ModelReply): unknown {
  const calls = toolCalls(reply);
  return {
    id: `chatcmpl-${reply.id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: reply.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text(reply),
          refusal: null,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        finish_reason: finishReason(reply),
        logprobs: null,
      },
    ],
    usage: usage(reply),
  };
}

/** The Chat Completions stream: role, content and tool_call deltas, finish_reason, optional usage chunk, [DONE]. */
export function chatEvents(reply: ModelReply, includeUsage: boolean): SseEvent[] {
  const chunk = (delta: object, finish_reason: string | null = null) => ({
    data: {
      id: `chatcmpl-${reply.id}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: reply.model,
      choices: [{ index: 0, delta, finish_reason, logprobs: null }],
    },
  });
  const content = text(reply);
  const events: SseEvent[] = [chunk({ role: 'assistant', content: '' })];
  if (content !== null) events.push(...chunkText(content).map((c) => chunk({ content: c })));
  toolCalls(reply).forEach((call, index) => {
    events.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
        ],
      }),
    );
    for (const args of chunkText(call.function.arguments, 40))
      events.push(chunk({ tool_calls: [{ index, function: { arguments: args } }] }));
  });
  events.push(chunk({}, finishReason(reply)));
  if (includeUsage) {
    const last = chunk({});
    events.push({ data: { ...(last.data as object), choices: [], usage: usage(reply) } });
  }
  events.push({ data: '[DONE]' });
  return events;
}
