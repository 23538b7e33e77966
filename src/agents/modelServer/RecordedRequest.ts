import type { IncomingHttpHeaders } from 'node:http';
import type { ApiKind, ToolResult } from './ModelRequest.ts';

export type Outcome =
  | 'reply'
  | 'cut'
  | 'error'
  | 'exhausted'
  | 'unmatched'
  | 'unauthorized'
  | 'bad_request'
  | 'count_tokens'
  | 'models'
  | 'preconnect'
  | 'root'
  | 'not_found'
  | 'blocked';

/** Every request the model server received, in order, for assertions. */
export interface RecordedRequest {
  seq: number;
  at: string;
  method: string;
  /** path and query */
  path: string;
  api: ApiKind | undefined;
  headers: Record<string, string>;
  body: unknown;
  model: string | undefined;
  scenario: string | undefined;
  /** the scenario turn answered (0-based) */
  turn: number | undefined;
  toolResults: ToolResult[];
  /** tool names the client offered */
  tools: string[];
  outcome: Outcome;
  status: number;
  warnings: string[];
}

export function flatHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
