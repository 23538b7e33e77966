import type { CliRuntimeId } from '../../agents/run/AgentRuntime.ts';
import { runAgent } from '../../agents/run/runAgent.ts';
import { getCliRuntime } from '../../agents/runtimes/runtimeRegistry.ts';
import type { AgentAttempt, AttemptOutcome } from './agentAttempt.ts';
import { endpointFor } from './endpointFor.ts';

export interface CliAttemptOptions {
  hostEnv: NodeJS.ProcessEnv;
  killGraceMs: number;
  extraEnv?: Record<string, string>;
  rateLimitFallbackMs?: number;
}

function tools(a: AgentAttempt, which: 'allowed' | 'disallowed'): Record<string, string[]> {
  const list =
    which === 'allowed'
      ? (a.spec.allowedTools ?? a.role?.spec.allowed_tools)
      : (a.spec.disallowedTools ?? a.role?.spec.disallowed_tools);
  if (!list || list.length === 0) return {};
  return which === 'allowed' ? { allowedTools: list } : { disallowedTools: list };
}

/** An attempt on an agent CLI (claude, codex, gemini) in the step's working directory. */
export function runCliAttempt(
  a: AgentAttempt,
  runtime: CliRuntimeId,
  o: CliAttemptOptions,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  const named = a.endpoint?.endpoint;
  const fromEnv = endpointFor(runtime, o.hostEnv);
  const key = named?.apiKeyEnv === undefined ? undefined : o.hostEnv[named.apiKeyEnv];
  const endpoint = named
    ? {
        ...(named.baseUrl ? { baseUrl: named.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '') } : {}),
        ...(key ? { apiKey: key } : {}),
        ...(named.headers ? { extraHeaders: named.headers } : {}),
      }
    : fromEnv;
  const maxTurns = a.spec.maxTurns ?? a.spec.budget.turns;
  return runAgent(
    getCliRuntime(runtime),
    {
      prompt: a.session.prompt,
      cwd: a.job.cwd,
      ...(a.model ? { model: a.model } : {}),
      ...(maxTurns ? { maxTurns } : {}),
      ...(a.limits.maxCostUsd ? { maxBudgetUsd: a.limits.maxCostUsd } : {}),
      ...tools(a, 'allowed'),
      ...tools(a, 'disallowed'),
      ...(a.session.resumeSessionId ? { resumeSessionId: a.session.resumeSessionId } : {}),
      ...(a.session.newSessionId ? { sessionId: a.session.newSessionId } : {}),
      endpoint,
      grantedEnv: a.grantedEnv,
      homeDir: a.session.homeDir,
    },
    {
      limits: a.limits,
      onEvent: a.onEvent,
      killGraceMs: o.killGraceMs,
      hostEnv: o.hostEnv,
      ...(o.extraEnv ? { extraEnv: o.extraEnv } : {}),
      ...(o.rateLimitFallbackMs === undefined ? {} : { rateLimitFallbackMs: o.rateLimitFallbackMs }),
    },
    signal,
  );
}
