import type { Millis } from '../../domain/records.ts';
import type { ResultData } from './resultData.ts';
import type { TokenCounts } from './tokenCounts.ts';

export type { PermissionDenial, ResultData, ResultStatus } from './resultData.ts';

/**
 * The normalized transcript every agent runtime emits, whatever its CLI speaks. Stored as JSON, so
 * field names are snake_case like the API; bump the version on any incompatible change.
 */
export const TRANSCRIPT_VERSION = 1;

/** The agent session started (or was resumed): its id is what `--resume` / `exec resume` take. */
export interface SessionData {
  kind: 'session';
  session_id?: string;
  model?: string;
  cwd?: string;
  tools?: string[];
  /** version of the agent CLI */
  agent_version?: string;
  permission_mode?: string;
}

/** Assistant or user text; `delta: true` for a partial chunk (consecutive deltas concatenate). */
export interface MessageData {
  kind: 'message';
  role: 'assistant' | 'user';
  text: string;
  delta: boolean;
}

export interface ReasoningData {
  kind: 'reasoning';
  text: string;
  delta: boolean;
}

export interface ToolCallData {
  kind: 'tool_call';
  id: string;
  name: string;
  input: unknown;
}

export interface ToolResultData {
  kind: 'tool_result';
  id: string;
  /** the tool's name when the parser knows it */
  name?: string;
  /** an excerpt of the output (head and tail of a long one) */
  output: string;
  is_error: boolean;
}

/** `modify` also stands for "written" when the CLI does not say whether the file existed before. */
export type FileChangeKind = 'add' | 'modify' | 'delete';

export interface FileChangeData {
  kind: 'file_change';
  /** as the agent reported it (usually absolute) */
  path: string;
  change: FileChangeKind;
  /** unified diff (an excerpt) when the CLI gave one */
  diff?: string;
  tool_call_id?: string;
}

export interface CommandData {
  kind: 'command';
  command: string;
  /** null when unknown (still running, interrupted, or not reported) */
  exit_code: number | null;
  /** an excerpt of stdout and stderr */
  output: string;
  tool_call_id?: string;
}

/** The agent's to-do list as it stands now (Codex todo_list, Claude TodoWrite). */
export interface PlanData {
  kind: 'plan';
  items: { text: string; done: boolean }[];
}

/**
 * Tokens (and cost when the CLI reports it). `cumulative`: a running total for the session so far,
 * which replaces the previous one; `delta`: spent since the previous usage event, to add.
 */
export interface UsageData {
  kind: 'usage';
  mode: 'cumulative' | 'delta';
  tokens: TokenCounts;
  cost_usd?: number;
}

/** The provider refused for a rate or usage limit. */
export interface RateLimitedData {
  kind: 'rate_limited';
  message: string;
  status?: number;
  /** when the limit resets, if it could be told */
  reset_at?: Millis;
  /** a relative "try again in …": the transcriber turns it into `reset_at` */
  retry_after_ms?: number;
  /** which limit, as the CLI names it (e.g. `five_hour`) */
  limit?: string;
}

export interface ErrorData {
  kind: 'error';
  message: string;
  /** HTTP status of the model API, when known */
  status?: number;
  code?: string;
  /** whether trying again later could succeed (5xx, overload, network), false for 4xx */
  retryable: boolean;
  /** a notice that did not stop the agent */
  warning?: boolean;
  /** the CLI's own retry counter, when it retries by itself */
  attempt?: number;
}

/** Lifecycle noise with no content (turn started, requesting, stream markers): kept, never needed. */
export interface StatusData {
  kind: 'status';
  status: string;
  detail?: string;
}

/** Anything not understood: a non-JSON line (`text`), or an unknown `type`. Never fatal. */
export interface UnknownData {
  kind: 'unknown';
  type?: string;
  text?: string;
  /** the line was longer than the limit and was cut */
  truncated?: boolean;
  reason?: string;
}

export type TranscriptEventData =
  | SessionData
  | MessageData
  | ReasoningData
  | ToolCallData
  | ToolResultData
  | FileChangeData
  | CommandData
  | PlanData
  | UsageData
  | RateLimitedData
  | ErrorData
  | StatusData
  | ResultData
  | UnknownData;

/** Added by the transcriber: format version, order within the attempt, arrival time, the source. */
export interface EventStamp {
  v: typeof TRANSCRIPT_VERSION;
  seq: number;
  at: Millis;
  /** the original line (parsed JSON, or the text of a non-JSON line), redacted */
  raw: unknown;
}

export type TranscriptEventKind = TranscriptEventData['kind'];

export type TranscriptEvent = TranscriptEventData & EventStamp;

/** What a parser returns: the transcriber stamps it (and sets `raw` to the line when left out). */
export type EventDraft = TranscriptEventData & { raw?: unknown };

/** Turns one parsed stdout line into zero or more drafts; may keep state between lines. */
export type StreamParser = (line: unknown) => EventDraft[];
