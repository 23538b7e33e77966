import type { ApiKind, ModelRequest } from './ModelRequest.ts';
import { readAnthropicRequest } from './readAnthropicRequest.ts';
import { readChatRequest } from './readChatRequest.ts';
import { readGeminiRequest } from './readGeminiRequest.ts';
import { readResponsesRequest } from './readResponsesRequest.ts';

/** Reads a request body of any supported API (Gemini's model and streaming come from the URL). */
export function readModelRequest(
  api: ApiKind,
  body: Record<string, unknown>,
  gemini: { model: string; stream: boolean },
): ModelRequest {
  switch (api) {
    case 'anthropic':
      return readAnthropicRequest(body);
    case 'responses':
      return readResponsesRequest(body);
    case 'chat':
      return readChatRequest(body);
    case 'gemini':
      return readGeminiRequest(body, gemini.model, gemini.stream);
  }
}
