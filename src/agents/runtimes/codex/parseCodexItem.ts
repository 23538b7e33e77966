import { classifyApiError } from '../../transcript/classifyApiError.ts';
import { excerpt } from '../../transcript/excerpt.ts';
import {
  asArray,
  asNumber,
  asRecord,
  asRecords,
  asString,
  type JsonRecord,
} from '../../transcript/jsonFields.ts';
import type { EventDraft, FileChangeKind } from '../../transcript/transcriptEvent.ts';
import type { CodexStreamState } from './parseCodexStream.ts';

const CHANGE_KINDS: Record<string, FileChangeKind> = { add: 'add', update: 'modify', delete: 'delete' };

/**
 * An item.started / item.updated / item.completed. Tool-like items (command_execution, file_change,
 * mcp_tool_call, web_search) give a tool_call when they start (or complete unannounced) and their
 * results when they complete; agent_message → message, reasoning → reasoning, todo_list → plan,
 * error → a warning (Codex reports non-fatal problems as items).
 */
export function parseCodexItem(phase: string, item: JsonRecord, state: CodexStreamState): EventDraft[] {
  const type = asString(item.type) ?? '?';
  const id = asString(item.id) ?? '';
  const done = phase === 'completed';
  switch (type) {
    case 'agent_message': {
      if (!done) return [{ kind: 'status', status: `message ${phase}` }];
      const text = asString(item.text) ?? '';
      state.lastText = text;
      return [{ kind: 'message', role: 'assistant', text, delta: false }];
    }
    case 'reasoning':
      if (!done) return [{ kind: 'status', status: `reasoning ${phase}` }];
      return [{ kind: 'reasoning', text: asString(item.text) ?? '', delta: false }];
    case 'command_execution':
      return tool(phase, id, 'shell', { command: asString(item.command) ?? '' }, state, () =>
        command(id, item),
      );
    case 'file_change': {
      const changes = asRecords(item.changes);
      const input = { changes: changes.map((c) => ({ path: c.path, kind: c.kind })) };
      return tool(phase, id, 'apply_patch', input, state, () => fileChanges(id, item, changes));
    }
    case 'mcp_tool_call': {
      const name = `${asString(item.server) ?? '?'}.${asString(item.tool) ?? '?'}`;
      return tool(phase, id, name, item.arguments ?? null, state, () => mcpResult(id, name, item));
    }
    case 'web_search':
      return tool(phase, id, 'web_search', { query: asString(item.query) ?? '' }, state, () => []);
    case 'todo_list': {
      const items = asRecords(item.items).map((t) => ({
        text: asString(t.text) ?? '',
        done: t.completed === true,
      }));
      return [{ kind: 'plan', items }];
    }
    case 'error':
      return [classifyApiError({ message: asString(item.message) ?? 'error', warning: true })];
    default:
      return [{ kind: 'unknown', type: `item/${type}` }];
  }
}

function tool(
  phase: string,
  id: string,
  name: string,
  input: unknown,
  state: CodexStreamState,
  results: () => EventDraft[],
): EventDraft[] {
  const announced = state.started.has(id);
  if (phase !== 'completed') {
    if (announced) return [{ kind: 'status', status: `${name} ${phase}` }];
    state.started.add(id);
    return [{ kind: 'tool_call', id, name, input }];
  }
  state.started.delete(id);
  const out: EventDraft[] = announced ? [] : [{ kind: 'tool_call', id, name, input }];
  out.push(...results());
  return out.length > 0 ? out : [{ kind: 'status', status: `${name} completed` }];
}

function command(id: string, item: JsonRecord): EventDraft[] {
  const status = asString(item.status);
  const output = excerpt(asString(item.aggregated_output) ?? '');
  const exit = asNumber(item.exit_code) ?? null;
  const failed = status === 'failed' || status === 'declined' || (exit !== null && exit !== 0);
  const result: EventDraft = { kind: 'tool_result', id, name: 'shell', output, is_error: failed };
  if (status === 'declined') return [{ ...result, output: 'declined' }];
  return [
    result,
    { kind: 'command', command: asString(item.command) ?? '', exit_code: exit, output, tool_call_id: id },
  ];
}

function fileChanges(id: string, item: JsonRecord, changes: JsonRecord[]): EventDraft[] {
  const failed = asString(item.status) === 'failed';
  const summary = changes.map((c) => `${asString(c.kind) ?? '?'} ${asString(c.path) ?? '?'}`).join('\n');
  const out: EventDraft[] = [
    { kind: 'tool_result', id, name: 'apply_patch', output: summary, is_error: failed },
  ];
  if (failed) return out;
  for (const c of changes) {
    const path = asString(c.path);
    if (path === undefined) continue;
    out.push({
      kind: 'file_change',
      path,
      change: CHANGE_KINDS[asString(c.kind) ?? ''] ?? 'modify',
      tool_call_id: id,
    });
  }
  return out;
}

function mcpResult(id: string, name: string, item: JsonRecord): EventDraft[] {
  const error = asString(asRecord(item.error)?.message);
  const result = asRecord(item.result);
  const text = asArray(result?.content)
    .map((b) => asString(asRecord(b)?.text) ?? JSON.stringify(b))
    .join('\n');
  const output = error ?? (text || JSON.stringify(result?.structured_content ?? null));
  const isError = error !== undefined || asString(item.status) === 'failed';
  return [{ kind: 'tool_result', id, name, output: excerpt(output), is_error: isError }];
}
