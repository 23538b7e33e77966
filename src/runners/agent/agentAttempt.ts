import type { AgentRunLimits, AgentRunResult } from '../../agents/run/AgentRunResult.ts';
import type { TranscriptEvent } from '../../agents/transcript/transcriptEvent.ts';
import type { CatalogRole } from '../../domain/agents/resolveRole.ts';
import type { AgentExecSpec } from '../../domain/records.ts';
import type { AgentRuntimeId } from '../../domain/workflow/types.ts';
import type { StepJob } from '../../engine/ports/stepExecutor.ts';
import type { NamedEndpoint } from './agentStepPorts.ts';
import type { SessionPlan } from './planSession.ts';

/** Everything one agent attempt runs with, resolved by the executor. */
export interface AgentAttempt {
  job: StepJob;
  spec: AgentExecSpec;
  role: CatalogRole | undefined;
  runtime: AgentRuntimeId;
  model: string | undefined;
  /** the rendered prompt (role template, task, context packs) */
  prompt: string;
  session: SessionPlan;
  limits: AgentRunLimits;
  endpoint: { name: string; endpoint: NamedEndpoint } | undefined;
  /** the step's granted secrets: put in the CLI's env, redacted from the transcript */
  grantedEnv: Record<string, string>;
  onEvent: (e: TranscriptEvent) => void;
}

/** How an attempt ended, plus what the runtime returns besides the transcript (PR URL, patch…). */
export type AttemptOutcome = AgentRunResult & { outputs?: Record<string, unknown> };
