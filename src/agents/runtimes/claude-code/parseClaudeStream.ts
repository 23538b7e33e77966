import { classifyApiError } from '../../transcript/classifyApiError.ts';
import {
  asNumber,
  asRecord,
  asRecords,
  asString,
  asStrings,
  opt,
  type JsonRecord,
} from '../../transcript/jsonFields.ts';
import { addTokens, emptyTokens, type TokenCounts } from '../../transcript/tokenCounts.ts';
import type { EventDraft, ResultData, ResultStatus, StreamParser } from '../../transcript/transcriptEvent.ts';
import { parseClaudeAssistant, parseClaudeStreamEvent, parseClaudeUser } from './parseClaudeMessage.ts';
import { anthropicTokens, modelUsageTokens } from './parseClaudeUsage.ts';

/** What the Claude parser remembers between lines. */
export interface ClaudeStreamState {
  /** tool_use blocks by id, until their result arrives */
  tools: Map<string, { name: string; input: unknown }>;
  /** an error event was emitted since the last result (so a failed result needs no second one) */
  errorSinceResult: boolean;
  /** result usages summed (for when `modelUsage` is missing) */
  tokens: TokenCounts;
}

export function newClaudeStreamState(): ClaudeStreamState {
  return { tools: new Map(), errorSinceResult: false, tokens: emptyTokens() };
}

export function createClaudeStreamParser(): StreamParser {
  const state = newClaudeStreamState();
  return (line) => parseClaudeStream(line, state);
}

const STATUS_SUBTYPES = new Set([
  'status',
  'compact_boundary',
  'hook_started',
  'hook_progress',
  'hook_response',
]);

/**
 * One line of `claude -p --output-format stream-json --verbose`: system/init → session,
 * system/api_retry → error or rate_limited, assistant → message / reasoning / tool_call (+ plan),
 * user → message / tool_result (+ file_change, command), stream_event → partial message,
 * rate_limit_event, result → usage (process total) and result. Anything else → unknown.
 */
export function parseClaudeStream(line: unknown, state: ClaudeStreamState): EventDraft[] {
  const j = asRecord(line);
  if (!j) return [{ kind: 'unknown', reason: 'not a JSON object' }];
  const type = asString(j.type) ?? '';
  switch (type) {
    case 'system':
      return system(j, state);
    case 'assistant':
      return parseClaudeAssistant(j, state);
    case 'user':
      return parseClaudeUser(j, state);
    case 'stream_event':
      return parseClaudeStreamEvent(j);
    case 'result':
      return result(j, state);
    case 'rate_limit_event':
      return rateLimit(j);
    default:
      return [{ kind: 'unknown', ...opt('type', type || undefined) }];
  }
}

function system(j: JsonRecord, state: ClaudeStreamState): EventDraft[] {
  const subtype = asString(j.subtype) ?? '';
  if (subtype === 'init') {
    return [
      {
        kind: 'session',
        ...opt('session_id', asString(j.session_id)),
        ...opt('model', asString(j.model)),
        ...opt('cwd', asString(j.cwd)),
        tools: asStrings(j.tools),
        ...opt('agent_version', asString(j.claude_code_version)),
        ...opt('permission_mode', asString(j.permissionMode)),
      },
    ];
  }
  if (subtype === 'api_retry') {
    state.errorSinceResult = true;
    const status = asNumber(j.error_status);
    const code = asString(j.error);
    const attempt = asNumber(j.attempt);
    const max = asNumber(j.max_retries);
    const message = `${code ?? 'API error'}${status === undefined ? '' : ` (HTTP ${status})`}, retry ${attempt ?? '?'}/${max ?? '?'}`;
    const event = classifyApiError({ message, status, code, attempt });
    const delay = asNumber(j.retry_delay_ms);
    if (event.kind === 'rate_limited' && event.reset_at === undefined && event.retry_after_ms === undefined) {
      if (delay !== undefined) event.retry_after_ms = Math.round(delay);
    }
    return [event];
  }
  if (STATUS_SUBTYPES.has(subtype)) {
    const status = subtype === 'status' ? (asString(j.status) ?? 'status') : subtype;
    return [{ kind: 'status', status }];
  }
  return [{ kind: 'unknown', type: `system/${subtype}` }];
}

function result(j: JsonRecord, state: ClaudeStreamState): EventDraft[] {
  const subtype = asString(j.subtype);
  const isError = j.is_error === true;
  const status: ResultStatus =
    subtype === 'error_max_turns'
      ? 'max_turns'
      : subtype === 'error_max_budget_usd'
        ? 'max_budget'
        : subtype === 'success' && !isError
          ? 'success'
          : 'error';
  const text = asString(j.result);
  const errors = asStrings(j.errors);
  const error =
    errors.length > 0 ? errors.join('; ') : isError || status !== 'success' ? (text ?? subtype) : undefined;
  const out: EventDraft[] = [];
  if (status === 'error' && !state.errorSinceResult) {
    out.push(classifyApiError({ message: error ?? 'error', status: asNumber(j.api_error_status) }));
  }
  state.errorSinceResult = false;
  state.tokens = addTokens(state.tokens, anthropicTokens(asRecord(j.usage)));
  const cost = asNumber(j.total_cost_usd);
  out.push({
    kind: 'usage',
    mode: 'cumulative',
    tokens: modelUsageTokens(j.modelUsage) ?? state.tokens,
    ...opt('cost_usd', cost),
  });
  const res: ResultData = {
    kind: 'result',
    status,
    ...opt('text', text),
    ...opt('error', error),
    ...opt('num_turns', asNumber(j.num_turns)),
    ...opt('session_id', asString(j.session_id)),
    ...opt('cost_usd', cost),
    ...opt('duration_ms', asNumber(j.duration_ms)),
  };
  const denials = asRecords(j.permission_denials).map((d) => ({
    tool_name: asString(d.tool_name) ?? '?',
    ...opt('tool_call_id', asString(d.tool_use_id)),
    ...(d.tool_input === undefined ? {} : { input: d.tool_input }),
  }));
  if (denials.length > 0) res.permission_denials = denials;
  out.push(res);
  return out;
}

function rateLimit(j: JsonRecord): EventDraft[] {
  const info = asRecord(j.rate_limit_info) ?? {};
  const status = asString(info.status) ?? 'unknown';
  const limit = asString(info.rateLimitType);
  const resetsAt = asNumber(info.resetsAt);
  if (status === 'rejected') {
    return [
      {
        kind: 'rate_limited',
        message: `rate limit reached${limit === undefined ? '' : ` (${limit})`}`,
        ...opt('limit', limit),
        ...opt('reset_at', resetsAt === undefined ? undefined : resetsAt * 1000),
      },
    ];
  }
  const utilization = asNumber(info.utilization);
  const detail = [limit, utilization === undefined ? undefined : `${Math.round(utilization * 100)}% used`];
  return [{ kind: 'status', status: `rate_limit ${status}`, detail: detail.filter(Boolean).join(', ') }];
}
