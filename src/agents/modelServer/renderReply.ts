import { anthropicEvents, anthropicMessage } from './anthropicEvents.ts';
import type { HttpAnswer } from './apiErrorResponse.ts';
import type { ModelReply } from './buildModelReply.ts';
import { chatCompletion, chatEvents } from './chatEvents.ts';
import { geminiEvents, geminiResponse } from './geminiEvents.ts';
import { isRecord, type ModelRequest } from './ModelRequest.ts';
import { responsesEvents, responsesObject } from './responsesEvents.ts';
import type { SseEvent } from './writeSse.ts';

export type Answer =
  | ({ type: 'json' } & HttpAnswer)
  | { type: 'sse'; events: SseEvent[]; delayMs: number; cutAfter: number | undefined };

function events(reply: ModelReply, req: ModelRequest, body: Record<string, unknown>): SseEvent[] {
  switch (req.api) {
    case 'anthropic':
      return anthropicEvents(reply);
    case 'responses':
      return responsesEvents(reply);
    case 'chat':
      return chatEvents(reply, isRecord(body.stream_options) && body.stream_options.include_usage === true);
    case 'gemini':
      return geminiEvents(reply);
  }
}

function json(reply: ModelReply, req: ModelRequest): unknown {
  switch (req.api) {
    case 'anthropic':
      return anthropicMessage(reply);
    case 'responses':
      return responsesObject(reply);
    case 'chat':
      return chatCompletion(reply);
    case 'gemini':
      return geminiResponse(reply);
  }
}

/** A reply in the request's API, streamed when the request asked for a stream. */
export function renderReply(
  reply: ModelReply,
  req: ModelRequest,
  body: Record<string, unknown>,
  cutAfter?: number,
): Answer {
  if (req.stream || cutAfter !== undefined)
    return { type: 'sse', events: events(reply, req, body), delayMs: reply.delayMs, cutAfter };
  return { type: 'json', status: 200, headers: {}, body: json(reply, req) };
}
