import type { CatalogRole } from '../../domain/agents/resolveRole.ts';
import type { StepExecResult } from '../../engine/ports/stepExecutor.ts';
import type { AttemptOutcome } from './agentAttempt.ts';
import { contractOutputs } from './contractOutputs.ts';
import { extractFinalJson } from './extractFinalJson.ts';

const MAX_VALUE = 60 * 1024;

function stringOutputs(o: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o ?? {})) {
    if (v === undefined || v === null || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) continue;
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    out[k] = s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
  }
  return out;
}

export interface ResultContext {
  role: CatalogRole | undefined;
  /** Jules and Cursor: the runtime's outputs (PR URL, patch, branch) stand for the contract */
  remote: boolean;
  costUsd: number | null;
  started: number;
  rateLimitFallbackMs: number;
}

/**
 * The step result of an agent attempt: usage and session as outputs, the final JSON answer checked
 * against the role's contract, a rate limit as `retryAt` (the engine parks the step until then).
 */
export function stepResultOf(r: AttemptOutcome, c: ResultContext): StepExecResult {
  const s = r.summary;
  const runtimeOutputs = stringOutputs(r.outputs);
  const metrics: Record<string, string> = {
    tokens_in: String(s.usage.input),
    tokens_out: String(s.usage.output),
    tokens_cached: String(s.usage.cached_input),
    ...(c.costUsd === null ? {} : { cost_usd: String(c.costUsd) }),
    ...(r.sessionId ? { session_id: r.sessionId } : {}),
    files_changed: JSON.stringify(s.files_changed.map((f) => f.path)),
  };
  const base = { exitCode: r.exitCode, signal: r.signal, durationMs: Date.now() - c.started };
  const failed = (message: string): StepExecResult => ({
    ...base,
    outcome: 'failure',
    outputs: { ...runtimeOutputs, ...metrics },
    error: { code: 'step_failed', message },
  });
  switch (r.status) {
    case 'succeeded': {
      const json =
        r.outputs?.json !== null && typeof r.outputs?.json === 'object' && !Array.isArray(r.outputs.json)
          ? (r.outputs.json as Record<string, unknown>)
          : extractFinalJson(s.final_text ?? '');
      const { outputs, problem } = contractOutputs(json, c.remote ? undefined : c.role?.spec.output);
      if (problem) return failed(problem);
      const { json: _json, ...rest } = runtimeOutputs;
      return { ...base, outcome: 'success', outputs: { ...rest, ...outputs, ...metrics } };
    }
    case 'timed_out':
      return {
        ...base,
        outcome: 'timeout',
        outputs: metrics,
        error: { code: 'step_timeout', message: r.reason },
      };
    case 'cancelled':
      return {
        ...base,
        outcome: 'cancelled',
        outputs: metrics,
        error: { code: 'cancelled', message: r.reason },
      };
    case 'rate_limited':
      return {
        ...failed(`rate_limited: ${r.reason}`),
        retryAt: r.rateLimitResetAt ?? Date.now() + c.rateLimitFallbackMs,
      };
    case 'failed':
    case 'budget_exceeded':
    case 'stalled':
    case 'looping':
    case 'crashed':
      return failed(`${r.status}: ${r.reason}`);
  }
}
