import type { ModelReply, ReplyBlock } from './buildModelReply.ts';
import { chunkText } from './chunkText.ts';
import type { Usage } from './scenarioSchema.ts';
import type { SseEvent } from './writeSse.ts';

const SIGNATURE = 'baton-model-server-signature';

function usage(u: Usage) {
  return {
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cache_creation_input_tokens: u.cache_write_tokens ?? 0,
    cache_read_input_tokens: u.cache_read_tokens ?? 0,
  };
}

function contentBlock(b: ReplyBlock) {
  switch (b.type) {
    case 'text':
      return { type: 'text', text: b.text };
    case 'thinking':
      return { type: 'thinking', thinking: b.text, signature: SIGNATURE };
    case 'tool':
      return {
        type: 'tool_use',
        id: b.id,
        name: b.name,
        input: typeof b.input === 'string' ? { input: b.input } : b.input,
      };
  }
}

function blockEvents(b: ReplyBlock, index: number): SseEvent[] {
  const ev = (type: string, rest: object): SseEvent => ({ event: type, data: { type, index, ...rest } });
  switch (b.type) {
    case 'text':
      return [
        ev('content_block_start', { content_block: { type: 'text', text: '' } }),
        ...chunkText(b.text).map((text) =>
          ev('content_block_delta', { delta: { type: 'text_delta', text } }),
        ),
        ev('content_block_stop', {}),
      ];
    case 'thinking':
      return [
        ev('content_block_start', { content_block: { type: 'thinking', thinking: '', signature: '' } }),
        ...chunkText(b.text).map((thinking) =>
          ev('content_block_delta', { delta: { type: 'thinking_delta', thinking } }),
        ),
        ev('content_block_delta', { delta: { type: 'signature_delta', signature: SIGNATURE } }),
        ev('content_block_stop', {}),
      ];
    case 'tool': {
      const json = JSON.stringify(contentBlock(b).input);
      return [
        ev('content_block_start', { content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } }),
        ...chunkText(json, 40).map((partial_json) =>
          ev('content_block_delta', { delta: { type: 'input_json_delta', partial_json } }),
        ),
        ev('content_block_stop', {}),
      ];
    }
  }
}

function message(reply: ModelReply, content: unknown[], stopReason: string | null, outputTokens: number) {
  return {
    id: `msg_${reply.id}`,
    type: 'message',
    role: 'assistant',
    model: reply.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { ...usage(reply.usage), output_tokens: outputTokens },
  };
}

/** The Messages API stream: message_start, content blocks, message_delta (stop_reason, usage), message_stop. */
export function anthropicEvents(reply: ModelReply): SseEvent[] {
  return [
    { event: 'message_start', data: { type: 'message_start', message: message(reply, [], null, 1) } },
    ...reply.blocks.flatMap(blockEvents),
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: reply.stopReason, stop_sequence: null },
        usage: usage(reply.usage),
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}

/** The non-streaming Messages API answer. */
export function anthropicMessage(reply: ModelReply): unknown {
  return message(reply, reply.blocks.map(contentBlock), reply.stopReason, reply.usage.output_tokens);
}
