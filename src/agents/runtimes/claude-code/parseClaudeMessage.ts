import { classifyApiError } from '../../transcript/classifyApiError.ts';
import { asRecord, asRecords, asString, opt, type JsonRecord } from '../../transcript/jsonFields.ts';
import type { EventDraft } from '../../transcript/transcriptEvent.ts';
import type { ClaudeStreamState } from './parseClaudeStream.ts';
import { parseClaudeToolResult } from './parseClaudeToolResult.ts';

const TOOL_USE_BLOCKS = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use']);

/**
 * An `assistant` line (one content block per line in practice): text → message, thinking →
 * reasoning, tool_use → tool_call (TodoWrite also → plan). A synthetic error message (`error` set,
 * e.g. "API Error: 400 …") → error or rate_limited instead.
 */
export function parseClaudeAssistant(j: JsonRecord, state: ClaudeStreamState): EventDraft[] {
  const blocks = asRecords(asRecord(j.message)?.content);
  const error = asString(j.error);
  if (error !== undefined) {
    state.errorSinceResult = true;
    const text = blocks.flatMap((b) => asString(b.text) ?? []).join('\n');
    return [classifyApiError({ message: text || error, code: error })];
  }
  const out = blocks.flatMap((b) => assistantBlock(b, state));
  return out.length > 0 ? out : [{ kind: 'status', status: 'empty assistant message' }];
}

function assistantBlock(b: JsonRecord, state: ClaudeStreamState): EventDraft[] {
  const type = asString(b.type) ?? '?';
  if (type === 'text')
    return [{ kind: 'message', role: 'assistant', text: asString(b.text) ?? '', delta: false }];
  if (type === 'thinking') return [{ kind: 'reasoning', text: asString(b.thinking) ?? '', delta: false }];
  if (type === 'redacted_thinking') return [{ kind: 'reasoning', text: '[redacted thinking]', delta: false }];
  if (!TOOL_USE_BLOCKS.has(type)) return [{ kind: 'unknown', type: `assistant/${type}` }];
  const id = asString(b.id) ?? '';
  const name = asString(b.name) ?? '?';
  state.tools.set(id, { name, input: b.input });
  const out: EventDraft[] = [{ kind: 'tool_call', id, name, input: b.input }];
  if (name === 'TodoWrite') {
    const items = asRecords(asRecord(b.input)?.todos).map((t) => ({
      text: asString(t.content) ?? '',
      done: t.status === 'completed',
    }));
    out.push({ kind: 'plan', items });
  }
  return out;
}

/** A `user` line: the prompt (string or text blocks) → message, tool_result blocks → tool results. */
export function parseClaudeUser(j: JsonRecord, state: ClaudeStreamState): EventDraft[] {
  const content = asRecord(j.message)?.content;
  if (typeof content === 'string') return [{ kind: 'message', role: 'user', text: content, delta: false }];
  const blocks = asRecords(content);
  const results = blocks.filter((b) => b.type === 'tool_result');
  // tool_use_result describes the line's tool result; only trusted when there is exactly one
  const detail = results.length === 1 ? asRecord(j.tool_use_result) : undefined;
  const out = blocks.flatMap((b): EventDraft[] => {
    const type = asString(b.type) ?? '?';
    if (type === 'text')
      return [{ kind: 'message', role: 'user', text: asString(b.text) ?? '', delta: false }];
    if (type === 'tool_result') return parseClaudeToolResult(b, detail, state);
    return [{ kind: 'unknown', type: `user/${type}` }];
  });
  return out.length > 0 ? out : [{ kind: 'status', status: 'empty user message' }];
}

/** `stream_event` (with --include-partial-messages): text and thinking deltas; the rest is status. */
export function parseClaudeStreamEvent(j: JsonRecord): EventDraft[] {
  const event = asRecord(j.event) ?? {};
  const type = asString(event.type) ?? '?';
  const delta = asRecord(event.delta);
  if (type === 'content_block_delta' && delta) {
    if (delta.type === 'text_delta') {
      return [{ kind: 'message', role: 'assistant', text: asString(delta.text) ?? '', delta: true }];
    }
    if (delta.type === 'thinking_delta') {
      return [{ kind: 'reasoning', text: asString(delta.thinking) ?? '', delta: true }];
    }
    return [{ kind: 'status', status: `stream ${type}`, ...opt('detail', asString(delta.type)) }];
  }
  return [{ kind: 'status', status: `stream ${type}` }];
}
