import { asRecord, asRecords, count, type JsonRecord } from '../../transcript/jsonFields.ts';
import { addTokens, emptyTokens, type TokenCounts } from '../../transcript/tokenCounts.ts';

/** Anthropic usage: `input_tokens` leaves out cache reads and writes; ours includes them. */
export function anthropicTokens(u: JsonRecord | undefined): TokenCounts {
  if (!u) return emptyTokens();
  const read = count(u.cache_read_input_tokens ?? u.cacheReadInputTokens);
  const write = count(u.cache_creation_input_tokens ?? u.cacheCreationInputTokens);
  return {
    input: count(u.input_tokens ?? u.inputTokens) + read + write,
    output: count(u.output_tokens ?? u.outputTokens),
    cached_input: read,
    cache_write: write,
    reasoning: 0,
  };
}

/** `modelUsage` holds the process's totals per model: summed, or undefined when empty. */
export function modelUsageTokens(value: unknown): TokenCounts | undefined {
  const models = asRecords(Object.values(asRecord(value) ?? {}));
  if (models.length === 0) return undefined;
  return models.reduce<TokenCounts>((sum, m) => addTokens(sum, anthropicTokens(m)), emptyTokens());
}
