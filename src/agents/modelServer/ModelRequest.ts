import { createHash } from 'node:crypto';

/** The model APIs the server speaks. */
export type ApiKind = 'anthropic' | 'responses' | 'chat' | 'gemini';

/** A tool result the client sent back after the previous model turn. */
export interface ToolResult {
  /** tool_use_id / call_id / tool_call_id / functionResponse.id */
  callId: string | undefined;
  /** the tool's name, when the API says it (Gemini) */
  name: string | undefined;
  output: string;
  isError: boolean;
}

/** What the server needs from a request, whatever API it came in. */
export interface ModelRequest {
  api: ApiKind;
  model: string;
  stream: boolean;
  /** the text of the user's messages, where `[scenario:NAME]` markers are looked for */
  userText: string;
  /** the client's working directory when its prompt says it (used to make paths absolute) */
  cwd: string | undefined;
  /** model turns already in the history: the index of the turn to answer */
  modelTurns: number;
  /** tool results after the last model turn */
  toolResults: ToolResult[];
  /** names of the tools the client offers */
  tools: string[];
  /** identifies the conversation: a digest of its first user message */
  conversation: string;
}

/** Counts runs of consecutive entries for which `isModel` holds (one run = one model turn). */
export function countModelTurns<T>(entries: readonly T[], isModel: (e: T) => boolean): number {
  let turns = 0;
  let inRun = false;
  for (const e of entries) {
    const model = isModel(e);
    if (model && !inRun) turns++;
    inRun = model;
  }
  return turns;
}

/** The entries after the last one for which `isModel` holds. */
export function afterLastModelTurn<T>(entries: readonly T[], isModel: (e: T) => boolean): T[] {
  let last = -1;
  entries.forEach((e, i) => {
    if (isModel(e)) last = i;
  });
  return entries.slice(last + 1);
}

/** Text from a string or a list of `{text}` parts; other parts are skipped. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p: unknown) => {
      if (typeof p === 'string') return p;
      const text = (p as { text?: unknown } | null)?.text;
      return typeof text === 'string' ? text : '';
    })
    .filter((t) => t !== '')
    .join('\n');
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An array field of a JSON body, `[]` when absent or not an array. */
export function arrayField(body: Record<string, unknown>, key: string): unknown[] {
  const v = body[key];
  return Array.isArray(v) ? (v as unknown[]) : [];
}

export function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' ? v : undefined;
}

/** A short digest identifying a conversation by its first user message. */
export function conversationKey(firstUserText: string): string {
  return createHash('sha256').update(firstUserText).digest('hex').slice(0, 16);
}
