import { classifyApiError } from '../../transcript/classifyApiError.ts';
import { asNumber, asRecord, asString, count, opt, type JsonRecord } from '../../transcript/jsonFields.ts';
import type { TokenCounts } from '../../transcript/tokenCounts.ts';
import type { EventDraft, ResultStatus, StreamParser } from '../../transcript/transcriptEvent.ts';
import { parseGeminiToolResult } from './parseGeminiToolResult.ts';

/** What the Gemini parser remembers between lines. */
export interface GeminiStreamState {
  /** tool_use parameters by tool_id, until the result arrives */
  tools: Map<string, { name: string; input: unknown }>;
  sessionId?: string;
  /** the assistant's latest text (deltas joined): the result's text */
  text?: string;
  accumulating: boolean;
  /** an error event was emitted since the last result */
  errorSinceResult: boolean;
}

export function newGeminiStreamState(): GeminiStreamState {
  return { tools: new Map(), errorSinceResult: false, accumulating: false };
}

export function createGeminiStreamParser(): StreamParser {
  const state = newGeminiStreamState();
  return (line) => parseGeminiStream(line, state);
}

/**
 * One line of `gemini --output-format stream-json`: init → session, message → message (assistant
 * text comes as deltas), tool_use → tool_call, tool_result → tool_result (+ file_change for
 * write_file / replace, command for run_shell_command), error → error (severity warning → warning)
 * or rate_limited, result → usage (the session's totals) and result. Anything else → unknown.
 */
export function parseGeminiStream(line: unknown, state: GeminiStreamState): EventDraft[] {
  const j = asRecord(line);
  if (!j) return [{ kind: 'unknown', reason: 'not a JSON object' }];
  const type = asString(j.type) ?? '';
  switch (type) {
    case 'init':
      state.sessionId = asString(j.session_id);
      return [{ kind: 'session', ...opt('session_id', state.sessionId), ...opt('model', asString(j.model)) }];
    case 'message': {
      const role = j.role === 'user' ? 'user' : 'assistant';
      const text = asString(j.content) ?? '';
      const delta = j.delta === true;
      if (role === 'assistant') {
        state.text = delta && state.accumulating ? `${state.text ?? ''}${text}` : text;
        state.accumulating = delta;
      }
      return [{ kind: 'message', role, text, delta }];
    }
    case 'tool_use': {
      const id = asString(j.tool_id) ?? '';
      const name = asString(j.tool_name) ?? '?';
      state.tools.set(id, { name, input: j.parameters });
      state.accumulating = false;
      return [{ kind: 'tool_call', id, name, input: j.parameters ?? null }];
    }
    case 'tool_result':
      return parseGeminiToolResult(j, state);
    case 'error': {
      const warning = j.severity === 'warning';
      if (!warning) state.errorSinceResult = true;
      return [classifyApiError({ message: asString(j.message) ?? 'error', warning })];
    }
    case 'result':
      return result(j, state);
    default:
      return [{ kind: 'unknown', ...opt('type', type || undefined) }];
  }
}

function result(j: JsonRecord, state: GeminiStreamState): EventDraft[] {
  const error = asRecord(j.error);
  const message = asString(error?.message);
  const status = geminiStatus(j.status === 'success' && !error, asString(error?.type), message);
  const out: EventDraft[] = [];
  if (status !== 'success' && !state.errorSinceResult) {
    out.push(classifyApiError({ message: message ?? 'error', code: asString(error?.type) }));
  }
  state.errorSinceResult = false;
  const text = state.text;
  delete state.text;
  state.accumulating = false;
  const stats = asRecord(j.stats);
  if (stats) out.push({ kind: 'usage', mode: 'cumulative', tokens: geminiStreamTokens(stats) });
  out.push({
    kind: 'result',
    status,
    ...opt('text', text),
    ...opt('error', message),
    ...opt('session_id', state.sessionId),
    ...opt('duration_ms', asNumber(stats?.duration_ms)),
  });
  return out;
}

/** Gemini ends a turn-limited run with an error of type FatalTurnLimitedError. */
export function geminiStatus(ok: boolean, errorType?: string, message?: string): ResultStatus {
  if (ok) return 'success';
  if (errorType === 'FatalTurnLimitedError' || /max session turns/i.test(message ?? '')) return 'max_turns';
  return 'error';
}

/** stream-json stats: `input_tokens` is the whole prompt (cached included), `output_tokens` the candidates. */
function geminiStreamTokens(stats: JsonRecord): TokenCounts {
  return {
    input: count(stats.input_tokens ?? stats.input),
    output: count(stats.output_tokens),
    cached_input: count(stats.cached),
    cache_write: 0,
    reasoning: 0,
  };
}
