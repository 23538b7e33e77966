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

/** Items the model produced: assistant messages, reasoning and every `*_call`. */
function isModelItem(item: unknown): boolean {
  if (!isRecord(item)) return false;
  const type = stringField(item, 'type') ?? 'message';
  if (type === 'message') return item.role === 'assistant';
  return type === 'reasoning' || type.endsWith('_call');
}

function userText(item: unknown): string {
  if (!isRecord(item) || (item.type ?? 'message') !== 'message' || item.role !== 'user') return '';
  return textOf(item.content);
}

function toolResults(items: unknown[]): ToolResult[] {
  return afterLastModelTurn(items, isModelItem)
    .filter((i) => isRecord(i) && (stringField(i, 'type') ?? '').endsWith('_call_output'))
    .map((i) => {
      const item = i as Record<string, unknown>;
      return {
        callId: stringField(item, 'call_id'),
        name: undefined,
        output: textOf(item.output),
        isError: false,
      };
    });
}

/** Reads an OpenAI Responses API body (`POST /v1/responses`). */
export function readResponsesRequest(body: Record<string, unknown>): ModelRequest {
  const items: unknown[] =
    typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : arrayField(body, 'input');
  const texts = items.map(userText).filter((t) => t !== '');
  return {
    api: 'responses',
    model: stringField(body, 'model') ?? '',
    stream: body.stream === true,
    userText: texts.join('\n'),
    cwd: findWorkingDirectory(...texts, stringField(body, 'instructions') ?? ''),
    modelTurns: countModelTurns(items, isModelItem),
    toolResults: toolResults(items),
    tools: arrayField(body, 'tools')
      .map((t) => (isRecord(t) ? (stringField(t, 'name') ?? stringField(t, 'type')) : undefined))
      .filter((n) => n !== undefined),
    conversation: conversationKey(texts[0] ?? ''),
  };
}
