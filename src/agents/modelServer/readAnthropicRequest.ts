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
  type ToolResult,
} from './ModelRequest.ts';

const isAssistant = (m: unknown) => isRecord(m) && m.role === 'assistant';

function userText(m: unknown): string {
  if (!isRecord(m) || m.role !== 'user') return '';
  if (typeof m.content === 'string') return m.content;
  return textOf(arrayField(m, 'content').filter((b) => isRecord(b) && b.type === 'text'));
}

function toolResults(messages: unknown[]): ToolResult[] {
  const out: ToolResult[] = [];
  for (const m of afterLastModelTurn(messages, isAssistant)) {
    if (!isRecord(m)) continue;
    for (const b of arrayField(m, 'content'))
      if (isRecord(b) && b.type === 'tool_result')
        out.push({
          callId: stringField(b, 'tool_use_id'),
          name: undefined,
          output: textOf(b.content),
          isError: b.is_error === true,
        });
  }
  return out;
}

/** Reads a Messages API body (`POST /v1/messages`). */
export function readAnthropicRequest(body: Record<string, unknown>): ModelRequest {
  const messages = arrayField(body, 'messages');
  const texts = messages.map(userText).filter((t) => t !== '');
  const system = typeof body.system === 'string' ? body.system : textOf(body.system);
  return {
    api: 'anthropic',
    model: stringField(body, 'model') ?? '',
    stream: body.stream === true,
    userText: texts.join('\n'),
    cwd: findWorkingDirectory(...texts, system),
    modelTurns: countModelTurns(messages, isAssistant),
    toolResults: toolResults(messages),
    tools: arrayField(body, 'tools')
      .map((t) => (isRecord(t) ? stringField(t, 'name') : undefined))
      .filter((n) => n !== undefined),
    conversation: conversationKey(texts[0] ?? ''),
  };
}
