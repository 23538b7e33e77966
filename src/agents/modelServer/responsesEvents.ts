import type { ModelReply, ReplyBlock } from './buildModelReply.ts';
import { chunkText } from './chunkText.ts';
import type { SseEvent } from './writeSse.ts';

function usage(reply: ModelReply) {
  const u = reply.usage;
  return {
    input_tokens: u.input_tokens,
    input_tokens_details: { cached_tokens: u.cache_read_tokens ?? 0 },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
    total_tokens: u.input_tokens + u.output_tokens,
  };
}

/** The finished output item for a block. */
function outputItem(b: ReplyBlock, itemId: string): Record<string, unknown> {
  switch (b.type) {
    case 'text':
      return {
        type: 'message',
        id: itemId,
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: b.text, annotations: [] }],
      };
    case 'thinking':
      return { type: 'reasoning', id: itemId, summary: [{ type: 'summary_text', text: b.text }] };
    case 'tool':
      return typeof b.input === 'string'
        ? {
            type: 'custom_tool_call',
            id: itemId,
            call_id: b.id,
            name: b.name,
            input: b.input,
            status: 'completed',
          }
        : {
            type: 'function_call',
            id: itemId,
            call_id: b.id,
            name: b.name,
            arguments: JSON.stringify(b.input),
            status: 'completed',
          };
  }
}

function itemEvents(
  b: ReplyBlock,
  item: Record<string, unknown>,
  output_index: number,
): Record<string, unknown>[] {
  const item_id = item.id;
  const at = { item_id, output_index };
  switch (b.type) {
    case 'text':
      return [
        {
          type: 'response.output_item.added',
          output_index,
          item: { ...item, status: 'in_progress', content: [] },
        },
        {
          type: 'response.content_part.added',
          ...at,
          content_index: 0,
          part: { type: 'output_text', text: '', annotations: [] },
        },
        ...chunkText(b.text).map((delta) => ({
          type: 'response.output_text.delta',
          ...at,
          content_index: 0,
          delta,
        })),
        { type: 'response.output_text.done', ...at, content_index: 0, text: b.text },
        { type: 'response.output_item.done', output_index, item },
      ];
    case 'thinking': {
      const part = { type: 'summary_text', text: b.text };
      const at0 = { ...at, summary_index: 0 };
      return [
        { type: 'response.output_item.added', output_index, item: { ...item, summary: [] } },
        { type: 'response.reasoning_summary_part.added', ...at0, part: { ...part, text: '' } },
        ...chunkText(b.text).map((delta) => ({
          type: 'response.reasoning_summary_text.delta',
          ...at0,
          delta,
        })),
        { type: 'response.reasoning_summary_text.done', ...at0, text: b.text },
        { type: 'response.reasoning_summary_part.done', ...at0, part },
        { type: 'response.output_item.done', output_index, item },
      ];
    }
    case 'tool': {
      const custom = typeof b.input === 'string';
      const full = custom ? (b.input as string) : String(item.arguments);
      const kind = custom ? 'custom_tool_call_input' : 'function_call_arguments';
      const empty = custom ? { input: '' } : { arguments: '' };
      return [
        {
          type: 'response.output_item.added',
          output_index,
          item: { ...item, ...empty, status: 'in_progress' },
        },
        ...chunkText(full, 40).map((delta) => ({ type: `response.${kind}.delta`, ...at, delta })),
        { type: `response.${kind}.done`, ...at, ...(custom ? { input: full } : { arguments: full }) },
        { type: 'response.output_item.done', output_index, item },
      ];
    }
  }
}

/** The Responses API object (as in `response.completed` and the non-streaming answer). */
export function responsesObject(reply: ModelReply, status: 'in_progress' | 'completed' = 'completed') {
  const output =
    status === 'completed' ? reply.blocks.map((b, i) => outputItem(b, `item_${reply.id}_${i}`)) : [];
  return {
    id: `resp_${reply.id}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: reply.model,
    output,
    usage: status === 'completed' ? usage(reply) : null,
  };
}

/** The Responses API stream: response.created, output items with their deltas, response.completed. */
export function responsesEvents(reply: ModelReply): SseEvent[] {
  const body: Record<string, unknown>[] = [
    { type: 'response.created', response: responsesObject(reply, 'in_progress') },
    { type: 'response.in_progress', response: responsesObject(reply, 'in_progress') },
    ...reply.blocks.flatMap((b, i) => itemEvents(b, outputItem(b, `item_${reply.id}_${i}`), i)),
    { type: 'response.completed', response: responsesObject(reply) },
  ];
  return body.map((data, sequence_number) => ({
    event: String(data.type),
    data: { ...data, sequence_number },
  }));
}
