import type { CompletionUsage } from 'openai/resources/completions';
import type { UsageData } from '../../transcript/transcriptEvent.ts';

/** Chat Completions usage as a transcript `usage` event (one turn: cumulative = the whole run). */
export function chatUsage(u: CompletionUsage): UsageData {
  return {
    kind: 'usage',
    mode: 'cumulative',
    tokens: {
      input: u.prompt_tokens,
      output: u.completion_tokens,
      cached_input: u.prompt_tokens_details?.cached_tokens ?? 0,
      cache_write: 0,
      reasoning: u.completion_tokens_details?.reasoning_tokens ?? 0,
    },
  };
}
