import type { CursorWebhookWait, HttpAgentLaunch, HttpRuntimeId } from '../../agents/run/HttpAgentRuntime.ts';
import { HTTP_RUNTIMES } from '../../agents/runtimes/runtimeRegistry.ts';
import type { AgentAttempt, AttemptOutcome } from './agentAttempt.ts';
import type { PlanApprovals } from './agentStepPorts.ts';
import { contractJsonSchema } from './contractJsonSchema.ts';
import { httpEndpointFor } from './httpEndpointFor.ts';

export interface HttpAttemptOptions {
  hostEnv: NodeJS.ProcessEnv;
  /** Jules plans go to a Baton approval; without it Jules runs without plan approval */
  approvals?: PlanApprovals;
  /** Cursor: finish on the signed webhook (Baton's /webhooks/cursor route) */
  cursorWebhook?: CursorWebhookWait;
  /** Jules/Cursor status polls (default 5 s) */
  pollIntervalMs?: number;
  rateLimitFallbackMs?: number;
}

/**
 * An attempt on an HTTP agent runtime: an OpenAI-compatible model (structured output from the
 * role's contract), Google Jules (plan approval as a Baton approval) or a Cursor cloud agent.
 */
export async function runHttpAttempt(
  a: AgentAttempt,
  runtime: HttpRuntimeId,
  o: HttpAttemptOptions,
  signal: AbortSignal,
): Promise<AttemptOutcome | { problem: string }> {
  const endpoint = httpEndpointFor(runtime, o.hostEnv, a.endpoint);
  if ('problem' in endpoint) return endpoint;
  const schema =
    runtime === 'openai-compatible' && a.role ? contractJsonSchema(a.role.spec.output) : undefined;
  const launch: HttpAgentLaunch = {
    prompt: a.session.prompt,
    endpoint,
    ...(a.model ? { model: a.model } : {}),
    ...(schema
      ? { responseFormat: { name: a.role?.name.replace(/[^A-Za-z0-9_-]/g, '_') ?? 'answer', schema } }
      : {}),
    ...(a.spec.source ? { source: a.spec.source } : {}),
    ...(runtime === 'jules' ? { title: `${a.job.stepKey} (Baton run ${a.job.runId})` } : {}),
    ...(a.session.resumeSessionId ? { resumeSessionId: a.session.resumeSessionId } : {}),
  };
  const { approvals } = o;
  return HTTP_RUNTIMES[runtime].run(
    launch,
    {
      limits: a.limits,
      onEvent: a.onEvent,
      ...(o.pollIntervalMs === undefined ? {} : { pollIntervalMs: o.pollIntervalMs }),
      ...(o.rateLimitFallbackMs === undefined ? {} : { rateLimitFallbackMs: o.rateLimitFallbackMs }),
      ...(runtime === 'jules' && approvals
        ? { onPlan: (plan) => approvals.decide(a.job, plan, signal) }
        : {}),
      ...(runtime === 'cursor' && o.cursorWebhook ? { webhook: o.cursorWebhook } : {}),
    },
    signal,
  );
}
