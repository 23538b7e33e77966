import { findWorkingDirectory } from './findWorkingDirectory.ts';
import {
  afterLastModelTurn,
  arrayField,
  conversationKey,
  countModelTurns,
  isRecord,
  type ModelRequest,
  stringField,
  textOf,
} from './ModelRequest.ts';

const isAssistant = (m: unknown) => isRecord(m) && m.role === 'assistant';
const textWithRole = (role: string) => (m: unknown) =>
  isRecord(m) && m.role === role ? textOf(m.content) : '';

/** Reads an OpenAI Chat Completions body (`POST /v1/chat/completions`). */
export function readChatRequest(body: Record<string, unknown>): ModelRequest {
  const messages = arrayField(body, 'messages');
  const texts = messages.map(textWithRole('user')).filter((t) => t !== '');
  const system = [...messages.map(textWithRole('system')), ...messages.map(textWithRole('developer'))];
  return {
    api: 'chat',
    model: stringField(body, 'model') ?? '',
    stream: body.stream === true,
    userText: texts.join('\n'),
    cwd: findWorkingDirectory(...texts, ...system),
    modelTurns: countModelTurns(messages, isAssistant),
    toolResults: afterLastModelTurn(messages, isAssistant)
      .filter((m) => isRecord(m) && m.role === 'tool')
      .map((m) => {
        const msg = m as Record<string, unknown>;
        return {
          callId: stringField(msg, 'tool_call_id'),
          name: undefined,
          output: textOf(msg.content),
          isError: false,
        };
      }),
    tools: arrayField(body, 'tools')
      .map((t) => (isRecord(t) && isRecord(t.function) ? stringField(t.function, 'name') : undefined))
      .filter((n) => n !== undefined),
    conversation: conversationKey(texts[0] ?? ''),
  };
}
