import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AgentAttemptRecord, AgentAttemptStatus } from '../../domain/agents/agentAttempt.ts';
import type { AgentRuntimeId } from '../../domain/workflow/types.ts';

/** How an attempt starts: in which HOME, and whether it continues an earlier session. */
export interface SessionPlan {
  /** the isolated HOME (kept per run and step, so a later attempt can resume the CLI's session) */
  homeDir: string;
  /** continue this session (Claude/Gemini `--resume`, Codex `exec resume`, Jules re-attach, Cursor follow-up) */
  resumeSessionId?: string;
  /** start a new session with this id (Claude `--session-id`): known before the CLI prints it */
  newSessionId?: string;
  /** the prompt to send (the task, or a note to carry on when resuming an interrupted attempt) */
  prompt: string;
  /** for the log: what was decided */
  note: string | null;
}

/** Attempt endings after which the same session is worth continuing. */
const INTERRUPTED: ReadonlySet<AgentAttemptStatus> = new Set([
  'running', // the runner died mid-attempt
  'awaiting_plan',
  'rate_limited',
  'stalled',
  'crashed',
  'timed_out',
]);

const CAN_RESUME: ReadonlySet<AgentRuntimeId> = new Set([
  'claude-code',
  'codex',
  'gemini-cli',
  'jules',
  'cursor',
]);
const REMOTE: ReadonlySet<AgentRuntimeId> = new Set(['jules', 'cursor']);

const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_');

export function agentHomeDir(dataDir: string, runId: string, stepKey: string): string {
  return join(dataDir, 'agent-homes', safe(runId), safe(stepKey));
}

export interface PlanSessionInput {
  dataDir: string;
  runId: string;
  stepKey: string;
  iteration: number;
  runtime: AgentRuntimeId;
  /** the rendered prompt of this attempt */
  prompt: string;
  /** `agent.continue`: the step whose session to continue (may be this one) */
  continueStep?: string;
  /** the stored attempts of the target step (this one, or `continueStep`), in start order */
  attempts: readonly AgentAttemptRecord[];
}

/**
 * Decides the session of an agent attempt. With `continue: <step>` the latest session of that step
 * (on the same runtime) gets the prompt as a follow-up. Without it, an attempt resumes only its own
 * interrupted predecessor of the same pass (a crash, stall, rate limit or timeout after the agent
 * had done some work) — a re-run routed back by `on:` starts afresh.
 */
export function planSession(i: PlanSessionInput): SessionPlan {
  const target = i.continueStep ?? i.stepKey;
  const homeDir = agentHomeDir(i.dataDir, i.runId, target);
  const fresh = (note: string | null): SessionPlan => ({
    homeDir,
    prompt: i.prompt,
    note,
    ...(i.runtime === 'claude-code' ? { newSessionId: randomUUID() } : {}),
  });
  if (!CAN_RESUME.has(i.runtime)) return fresh(null);
  const last = [...i.attempts].reverse().find((a) => a.sessionId !== null && a.runtime === i.runtime);
  if (i.continueStep !== undefined) {
    if (!last?.sessionId)
      return fresh(`step ${target} has no ${i.runtime} session to continue: starting a new one`);
    return {
      homeDir,
      resumeSessionId: last.sessionId,
      prompt: i.prompt,
      note: `continuing session ${last.sessionId} of step ${target}`,
    };
  }
  const prev = i.attempts.at(-1);
  if (!prev?.sessionId || prev.runtime !== i.runtime || prev.iteration !== i.iteration) return fresh(null);
  if (!INTERRUPTED.has(prev.status)) return fresh(null);
  const worked = prev.tokensIn + prev.tokensOut > 0 || prev.turns > 0 || REMOTE.has(i.runtime);
  if (!worked) return fresh(null);
  return {
    homeDir,
    resumeSessionId: prev.sessionId,
    prompt:
      `Your previous attempt at this task was interrupted (${prev.status}${prev.reason ? `: ${prev.reason}` : ''}). ` +
      'Carry on from where you stopped, without redoing finished work, and end with the final answer the task asks for.',
    note: `resuming session ${prev.sessionId} of attempt ${prev.attempt} (${prev.status})`,
  };
}
