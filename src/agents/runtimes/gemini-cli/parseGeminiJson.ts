import { classifyApiError } from '../../transcript/classifyApiError.ts';
import {
  asRecord,
  asRecords,
  asString,
  asStrings,
  count,
  opt,
  type JsonRecord,
} from '../../transcript/jsonFields.ts';
import { excerpt } from '../../transcript/excerpt.ts';
import { addTokens, emptyTokens, type TokenCounts } from '../../transcript/tokenCounts.ts';
import type { EventDraft } from '../../transcript/transcriptEvent.ts';
import { geminiStatus } from './parseGeminiStream.ts';

/**
 * The single JSON document of `gemini --output-format json` (`{session_id, response, stats, error,
 * warnings}`), as text or parsed: session, the response as one message, warnings, an error, usage
 * (the models' totals) and the result. Never throws: an unreadable document → unknown.
 */
export function parseGeminiJson(output: unknown): EventDraft[] {
  let doc = output;
  if (typeof output === 'string') {
    try {
      doc = JSON.parse(output) as unknown;
    } catch {
      return [{ kind: 'unknown', text: excerpt(output), reason: 'not JSON' }];
    }
  }
  const j = asRecord(doc);
  if (!j) return [{ kind: 'unknown', reason: 'not a JSON object' }];
  const sessionId = asString(j.session_id);
  const response = asString(j.response);
  const error = asRecord(j.error);
  const message = asString(error?.message);
  const models = asRecord(asRecord(j.stats)?.models) ?? {};
  const names = Object.keys(models);
  const out: EventDraft[] = [];
  if (sessionId !== undefined) {
    out.push({
      kind: 'session',
      session_id: sessionId,
      ...opt('model', names.length === 1 ? names[0] : undefined),
    });
  }
  if (response !== undefined) out.push({ kind: 'message', role: 'assistant', text: response, delta: false });
  for (const w of asStrings(j.warnings)) out.push(classifyApiError({ message: w, warning: true }));
  if (error) out.push(classifyApiError({ message: message ?? 'error', code: asString(error.type) }));
  if (j.stats !== undefined) out.push({ kind: 'usage', mode: 'cumulative', tokens: modelTokens(models) });
  out.push({
    kind: 'result',
    status: geminiStatus(!error, asString(error?.type), message),
    ...opt('text', response),
    ...opt('error', message),
    ...opt('session_id', sessionId),
  });
  return out;
}

/** `stats.models[name].tokens`: prompt (cached included), candidates + thoughts as output. */
function modelTokens(models: JsonRecord): TokenCounts {
  return asRecords(Object.values(models)).reduce<TokenCounts>((sum, m) => {
    const t = asRecord(m.tokens) ?? {};
    const thoughts = count(t.thoughts);
    return addTokens(sum, {
      input: count(t.prompt ?? t.input),
      output: count(t.candidates) + thoughts,
      cached_input: count(t.cached),
      cache_write: 0,
      reasoning: thoughts,
    });
  }, emptyTokens());
}
