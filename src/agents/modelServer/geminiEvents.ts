import type { ModelReply, ReplyBlock } from './buildModelReply.ts';
import { chunkText } from './chunkText.ts';
import type { SseEvent } from './writeSse.ts';

function usageMetadata(reply: ModelReply) {
  const u = reply.usage;
  return {
    promptTokenCount: u.input_tokens,
    candidatesTokenCount: u.output_tokens,
    totalTokenCount: u.input_tokens + u.output_tokens,
    ...(u.cache_read_tokens === undefined ? {} : { cachedContentTokenCount: u.cache_read_tokens }),
    ...(u.reasoning_tokens === undefined ? {} : { thoughtsTokenCount: u.reasoning_tokens }),
  };
}

function parts(b: ReplyBlock, stream: boolean): Record<string, unknown>[] {
  const texts = (t: string) => (stream ? chunkText(t) : [t]);
  switch (b.type) {
    case 'text':
      return texts(b.text).map((text) => ({ text }));
    case 'thinking':
      return texts(b.text).map((text) => ({ text, thought: true }));
    case 'tool':
      return [
        {
          functionCall: {
            id: b.id,
            name: b.name,
            args: typeof b.input === 'string' ? { input: b.input } : b.input,
          },
        },
      ];
  }
}

function response(reply: ModelReply, p: Record<string, unknown>[], last: boolean) {
  return {
    candidates: [
      { content: { role: 'model', parts: p }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) },
    ],
    ...(last ? { usageMetadata: usageMetadata(reply) } : {}),
    modelVersion: reply.model,
    responseId: reply.id,
  };
}

/** `:streamGenerateContent?alt=sse`: one part per chunk; the last carries finishReason and usageMetadata. */
export function geminiEvents(reply: ModelReply): SseEvent[] {
  const all = reply.blocks.flatMap((b) => parts(b, true));
  if (all.length === 0) all.push({ text: '' });
  return all.map((p, i) => ({ data: response(reply, [p], i === all.length - 1) }));
}

/** `:generateContent`: the whole answer in one response. */
export function geminiResponse(reply: ModelReply): unknown {
  return response(
    reply,
    reply.blocks.flatMap((b) => parts(b, false)),
    true,
  );
}
