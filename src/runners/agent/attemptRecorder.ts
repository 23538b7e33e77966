import type { AgentRunResult } from '../../agents/run/AgentRunResult.ts';
import type { AgentAttemptRecord, AgentAttemptStatus } from '../../domain/agents/agentAttempt.ts';
import type { AgentStepStore } from './agentStepPorts.ts';

/**
 * Keeps an attempt's `agent_attempts` row: written when it starts (so a runner that dies leaves a
 * `running` row a later attempt can resume from), when the session id becomes known, and at the end.
 */
export class AttemptRecorder {
  private row: AgentAttemptRecord;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Pick<AgentStepStore, 'upsertAgentAttempt'>,
    init: Omit<
      AgentAttemptRecord,
      'status' | 'reason' | 'tokensIn' | 'tokensOut' | 'tokensCached' | 'costUsd' | 'turns' | 'finishedAt'
    >,
  ) {
    this.row = {
      ...init,
      status: 'running',
      reason: null,
      tokensIn: 0,
      tokensOut: 0,
      tokensCached: 0,
      costUsd: null,
      turns: 0,
      finishedAt: null,
    };
  }

  get sessionId(): string | null {
    return this.row.sessionId;
  }

  start(): Promise<void> {
    return this.write();
  }

  /** the runtime reported its session id (written at once: a crash right after can still resume it) */
  session(id: string): void {
    if (this.row.sessionId === id) return;
    this.row = { ...this.row, sessionId: id };
    this.pending = this.pending.then(() => this.write()).catch(() => undefined);
  }

  async finish(
    r: AgentRunResult,
    costUsd: number | null,
    status: AgentAttemptStatus = r.status,
    now = Date.now(),
  ): Promise<void> {
    await this.pending;
    const u = r.summary.usage;
    this.row = {
      ...this.row,
      sessionId: r.sessionId ?? this.row.sessionId,
      status,
      reason: r.reason,
      tokensIn: u.input,
      tokensOut: u.output,
      tokensCached: u.cached_input,
      costUsd,
      turns: r.summary.num_turns ?? 0,
      finishedAt: now,
    };
    await this.write();
  }

  /** an attempt that ended before the agent ran (a spent budget, a configuration error) */
  async fail(status: AgentAttemptStatus, reason: string, now = Date.now()): Promise<void> {
    await this.pending;
    this.row = { ...this.row, status, reason, finishedAt: now };
    await this.write();
  }

  private write(): Promise<void> {
    return this.store.upsertAgentAttempt(this.row);
  }
}
