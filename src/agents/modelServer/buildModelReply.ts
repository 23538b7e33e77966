import type { ModelRequest } from './ModelRequest.ts';
import { nativeToolCall } from './nativeToolCall.ts';
import type { ReplyTurn, Scenario, Usage } from './scenarioSchema.ts';

export type ReplyBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'tool'; id: string; name: string; input: Record<string, unknown> | string };

/** One model turn, API-neutral; the `*Events.ts` files render it in each wire format. */
export interface ModelReply {
  id: string;
  model: string;
  blocks: ReplyBlock[];
  usage: Usage;
  stopReason: 'tool_use' | 'end_turn';
  /** milliseconds between streamed events */
  delayMs: number;
}

export const DEFAULT_USAGE: Usage = { input_tokens: 100, output_tokens: 20 };

/** Renders a scenario turn for one request; `warnings` lists tools the client did not offer. */
export function buildModelReply(
  scenario: Scenario,
  turn: ReplyTurn,
  turnIndex: number,
  req: ModelRequest,
): { reply: ModelReply; warnings: string[] } {
  const warnings: string[] = [];
  const blocks: ReplyBlock[] = turn.reply.map((action, i): ReplyBlock => {
    if (action.say !== undefined) return { type: 'text', text: action.say };
    if (action.think !== undefined) return { type: 'thinking', text: action.think };
    if (action.final !== undefined)
      return {
        type: 'text',
        text: typeof action.final === 'string' ? action.final : JSON.stringify(action.final),
      };
    const neutral =
      action.write_file !== undefined
        ? { write_file: action.write_file }
        : action.shell !== undefined
          ? { shell: action.shell }
          : { tool: action.tool ?? { name: 'unknown', input: {} } };
    const call = nativeToolCall(req.api, neutral, req.cwd);
    if (req.tools.length > 0 && !req.tools.includes(call.name))
      warnings.push(`turn ${turnIndex} calls tool "${call.name}", which the client did not offer`);
    return { type: 'tool', id: `call_${req.conversation.slice(0, 8)}_${turnIndex}_${i}`, ...call };
  });
  return {
    reply: {
      id: `${req.conversation.slice(0, 8)}_${turnIndex}`,
      model: req.model,
      blocks,
      usage: turn.usage ?? scenario.usage ?? DEFAULT_USAGE,
      stopReason: blocks.some((b) => b.type === 'tool') ? 'tool_use' : 'end_turn',
      delayMs: turn.delay_ms ?? scenario.delay_ms ?? 0,
    },
    warnings,
  };
}
