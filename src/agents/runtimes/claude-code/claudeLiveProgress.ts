import type { LiveProgress } from '../../run/AgentRuntime.ts';
import { asRecord, asString } from '../../transcript/jsonFields.ts';
import { addTokens, emptyTokens, type TokenCounts } from '../../transcript/tokenCounts.ts';
import { anthropicTokens } from './parseClaudeUsage.ts';

/**
 * Claude Code reports usage only in its `result` line, but every `assistant` line carries its API
 * message's usage (as of `message_start`): summed per message id, that is the spend so far.
 */
export function createClaudeLiveProgress(): LiveProgress {
  const byMessage = new Map<string, TokenCounts>();
  let total = emptyTokens();
  return {
    push(raw) {
      const j = asRecord(raw);
      if (j?.type !== 'assistant' || j.parent_tool_use_id) return;
      const message = asRecord(j.message);
      const id = asString(message?.id);
      const usage = asRecord(message?.usage);
      if (id === undefined || usage === undefined) return;
      byMessage.set(id, anthropicTokens(usage));
      total = [...byMessage.values()].reduce(addTokens, emptyTokens());
    },
    get tokens() {
      return total;
    },
    get turns() {
      return byMessage.size;
    },
  };
}
