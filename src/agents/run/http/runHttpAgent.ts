import { redactSecrets } from '../../transcript/redactSecrets.ts';
import type { AgentRunStatus } from '../AgentRunResult.ts';
import type { HttpAgentRunOptions, HttpAgentRunResult } from '../HttpAgentRuntime.ts';
import type { Stop } from '../runGuards.ts';
import { errorStop } from './errorStop.ts';
import { HttpRunContext } from './HttpRunContext.ts';

/** How the API said the run ended (a hard stop of the context wins over it). */
export interface HttpOutcome {
  status: AgentRunStatus;
  reason: string;
  outputs?: Record<string, unknown>;
}

export interface HttpRunSpec {
  api: string;
  keyHint: string;
  apiKey: string;
  opts: HttpAgentRunOptions;
  signal: AbortSignal | undefined;
  /** the run itself: every call takes `ctx.signal` */
  body: (ctx: HttpRunContext) => Promise<HttpOutcome>;
  /** after a hard stop (limit, cancellation) with the remote agent still running: stop it (bounded) */
  cleanup?: (ctx: HttpRunContext) => Promise<void>;
}

const CLEANUP_MS = 5000;

/**
 * Runs one HTTP agent: builds the context, turns a thrown API error into its stop (429 →
 * `rate_limited` with the reset time, 401/403 → `failed` naming the key), lets a hard stop win,
 * runs `cleanup` after one, and returns the `AgentRunResult` with the key redacted from the reason.
 */
export async function runHttpAgent(spec: HttpRunSpec): Promise<HttpAgentRunResult> {
  const { opts } = spec;
  const ctx = new HttpRunContext({
    secrets: [spec.apiKey],
    ...(opts.limits === undefined ? {} : { limits: opts.limits }),
    ...(opts.onEvent === undefined ? {} : { onEvent: opts.onEvent }),
    ...(opts.startSeq === undefined ? {} : { startSeq: opts.startSeq }),
    ...(spec.signal === undefined ? {} : { outer: spec.signal }),
  });
  let outcome: HttpOutcome | Stop | null = null;
  let outputs: Record<string, unknown> = {};
  try {
    if (ctx.stop === null) {
      const got = await spec.body(ctx);
      outcome = got;
      outputs = got.outputs ?? {};
    }
  } catch (e) {
    if (ctx.stop === null) {
      const fallbackResetAt = Date.now() + (opts.rateLimitFallbackMs ?? 60_000);
      const { stop, event } = errorStop(e, { api: spec.api, keyHint: spec.keyHint, fallbackResetAt });
      ctx.emit([event], { error: event.message });
      outcome = stop;
    }
  } finally {
    ctx.dispose();
  }
  const halted = ctx.stop;
  if (halted !== null && spec.cleanup !== undefined && halted.status !== 'rate_limited') {
    await Promise.race([
      spec.cleanup(ctx).catch(() => undefined),
      new Promise((r) => setTimeout(r, CLEANUP_MS).unref()),
    ]);
  }
  const final: Stop = halted ?? outcome ?? { status: 'failed', reason: 'the run ended without an outcome' };
  const summary = ctx.summary();
  return {
    status: final.status,
    reason: redactSecrets(final.reason, [spec.apiKey]),
    ...(final.rateLimitResetAt === undefined ? {} : { rateLimitResetAt: final.rateLimitResetAt }),
    exitCode: null,
    signal: null,
    pid: null,
    sessionId: summary.session_id,
    summary,
    stderrTail: '',
    durationMs: Date.now() - ctx.startedAt,
    outputs,
  };
}
