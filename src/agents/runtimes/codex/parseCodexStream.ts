import { classifyApiError } from '../../transcript/classifyApiError.ts';
import { asRecord, asString, count, opt, type JsonRecord } from '../../transcript/jsonFields.ts';
import type { TokenCounts } from '../../transcript/tokenCounts.ts';
import type { EventDraft, StreamParser } from '../../transcript/transcriptEvent.ts';
import { parseCodexItem } from './parseCodexItem.ts';

/** What the Codex parser remembers between lines. */
export interface CodexStreamState {
  /** the thread id: what `codex exec resume <id>` takes */
  threadId?: string;
  /** items whose tool_call was emitted, until they complete */
  started: Set<string>;
  /** the turn's last agent message: the result's text */
  lastText?: string;
  /** an error event was emitted in this turn */
  errorInTurn: boolean;
}

export function newCodexStreamState(): CodexStreamState {
  return { started: new Set(), errorInTurn: false };
}

export function createCodexStreamParser(): StreamParser {
  const state = newCodexStreamState();
  return (line) => parseCodexStream(line, state);
}

/**
 * One line of `codex exec --json`: thread.started → session (resume id = thread_id), item.* →
 * message / reasoning / tool_call + tool_result + command / file_change / plan / error,
 * turn.completed → usage (the thread's running total) and a success result, turn.failed → a failed
 * result, error → error or rate_limited. Anything else → unknown.
 */
export function parseCodexStream(line: unknown, state: CodexStreamState): EventDraft[] {
  const j = asRecord(line);
  if (!j) return [{ kind: 'unknown', reason: 'not a JSON object' }];
  const type = asString(j.type) ?? '';
  switch (type) {
    case 'thread.started':
      state.threadId = asString(j.thread_id);
      return [{ kind: 'session', ...opt('session_id', state.threadId) }];
    case 'turn.started':
      state.errorInTurn = false;
      delete state.lastText;
      return [{ kind: 'status', status: 'turn started' }];
    case 'item.started':
    case 'item.updated':
    case 'item.completed':
      return parseCodexItem(type.slice('item.'.length), asRecord(j.item) ?? {}, state);
    case 'turn.completed':
      return [
        { kind: 'usage', mode: 'cumulative', tokens: codexTokens(asRecord(j.usage)) },
        {
          kind: 'result',
          status: 'success',
          ...opt('text', state.lastText),
          ...opt('session_id', state.threadId),
        },
      ];
    case 'turn.failed':
      return turnFailed(j, state);
    case 'error': {
      state.errorInTurn = true;
      return [classifyApiError({ message: asString(j.message) ?? 'error' })];
    }
    default:
      return [{ kind: 'unknown', ...opt('type', type || undefined) }];
  }
}

function turnFailed(j: JsonRecord, state: CodexStreamState): EventDraft[] {
  const message = asString(asRecord(j.error)?.message) ?? 'turn failed';
  const out: EventDraft[] = state.errorInTurn ? [] : [classifyApiError({ message })];
  state.errorInTurn = false;
  out.push({ kind: 'result', status: 'error', error: message, ...opt('session_id', state.threadId) });
  return out;
}

/** Codex (OpenAI) usage: input includes cached tokens, output includes reasoning tokens. */
export function codexTokens(u: JsonRecord | undefined): TokenCounts {
  return {
    input: count(u?.input_tokens),
    output: count(u?.output_tokens),
    cached_input: count(u?.cached_input_tokens),
    cache_write: count(u?.cache_write_input_tokens),
    reasoning: count(u?.reasoning_output_tokens),
  };
}
