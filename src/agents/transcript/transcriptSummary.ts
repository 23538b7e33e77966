import type { Millis } from '../../domain/records.ts';
import { emptyTokens, type TokenCounts } from './tokenCounts.ts';
import type { ToolRepeat } from './toolLoopDetector.ts';
import type { FileChangeKind, PermissionDenial, ResultStatus } from './transcriptEvent.ts';

/** What a run's transcript adds up to (see TranscriptAggregator). */
export interface TranscriptSummary {
  /** the last result's status; `incomplete` when the agent never reported one */
  status: ResultStatus | 'incomplete';
  final_text: string | null;
  session_id: string | null;
  model: string | null;
  usage: TokenCounts;
  cost_usd: number | null;
  /** model turns, summed over the results that report them */
  num_turns: number | null;
  /** net change per path, in order of first touch (created then deleted: gone) */
  files_changed: { path: string; change: FileChangeKind }[];
  commands: { command: string; exit_code: number | null }[];
  tool_calls: Record<string, number>;
  tool_call_count: number;
  errors: number;
  warnings: number;
  last_error: string | null;
  rate_limit: { reset_at: Millis | null; message: string } | null;
  permission_denials: PermissionDenial[];
  /** the longest run of identical tool calls */
  longest_repeat: ToolRepeat | null;
  /** the first run that reached the loop threshold */
  loop: ToolRepeat | null;
  unknown: number;
  events: number;
}

export function emptySummary(): TranscriptSummary {
  return {
    status: 'incomplete',
    final_text: null,
    session_id: null,
    model: null,
    usage: emptyTokens(),
    cost_usd: null,
    num_turns: null,
    files_changed: [],
    commands: [],
    tool_calls: {},
    tool_call_count: 0,
    errors: 0,
    warnings: 0,
    last_error: null,
    rate_limit: null,
    permission_denials: [],
    longest_repeat: null,
    loop: null,
    unknown: 0,
    events: 0,
  };
}
