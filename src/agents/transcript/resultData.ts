export type ResultStatus = 'success' | 'error' | 'max_turns' | 'max_budget';

export interface PermissionDenial {
  tool_name: string;
  tool_call_id?: string;
  input?: unknown;
}

/** The agent finished a prompt. `cost_usd` is the CLI's total for its process, when reported. */
export interface ResultData {
  kind: 'result';
  status: ResultStatus;
  text?: string;
  error?: string;
  num_turns?: number;
  session_id?: string;
  cost_usd?: number;
  duration_ms?: number;
  permission_denials?: PermissionDenial[];
}
