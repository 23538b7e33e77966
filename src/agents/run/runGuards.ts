import type { Millis } from '../../domain/records.ts';
import type { TranscriptAggregator } from '../transcript/transcriptAggregator.ts';
import type { TranscriptEvent } from '../transcript/transcriptEvent.ts';
import type { LiveProgress } from './AgentRuntime.ts';
import type { AgentRunLimits, AgentRunStatus } from './AgentRunResult.ts';

/** Why a run was stopped from outside. */
export interface Stop {
  status: AgentRunStatus;
  reason: string;
  rateLimitResetAt?: Millis;
}

const DEFAULT_RATE_LIMIT_WAIT_MS = 120_000;

const fmtMs = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`);

/**
 * The hard stops of a run: budgets (tokens, USD, turns) and loops checked on each event, wall time
 * and stall on a timer. A model turn starts with the first assistant output after a tool ran.
 */
export class RunGuards {
  private lastEventAt: Millis;
  private turns = 0;
  private inTurn = false;

  constructor(
    private readonly limits: AgentRunLimits,
    private readonly agg: TranscriptAggregator,
    private readonly progress: LiveProgress | undefined,
    private readonly startedAt: Millis,
  ) {
    this.lastEventAt = startedAt;
  }

  /** Checks one event as it arrives (after the aggregator and the live progress saw it). */
  onEvent(e: TranscriptEvent, now: Millis): Stop | null {
    this.lastEventAt = now;
    this.countTurn(e);
    const l = this.limits;
    if (e.kind === 'tool_call') {
      const loop = this.agg.live.loop;
      if (loop) {
        const input = JSON.stringify(loop.input) ?? '';
        const call = `${loop.name} ${input.length > 120 ? `${input.slice(0, 120)}…` : input}`;
        return { status: 'looping', reason: `the same tool call ${loop.count} times in a row: ${call}` };
      }
    }
    if (e.kind === 'rate_limited' && e.reset_at !== undefined) {
      const wait = e.reset_at - now;
      if (wait > (l.maxRateLimitWaitMs ?? DEFAULT_RATE_LIMIT_WAIT_MS)) {
        return { status: 'rate_limited', reason: `rate limited: ${e.message}`, rateLimitResetAt: e.reset_at };
      }
    }
    if (l.maxTokens === undefined && l.maxCostUsd === undefined && l.maxTurns === undefined) return null;
    const s = this.agg.live;
    const live = this.progress?.tokens;
    const tokens = Math.max(s.tokens, live ? live.input + live.output : 0);
    if (l.maxTokens !== undefined && tokens > l.maxTokens) {
      return { status: 'budget_exceeded', reason: `token budget exceeded: ${tokens} > ${l.maxTokens}` };
    }
    if (l.maxCostUsd !== undefined && s.costUsd !== null && s.costUsd > l.maxCostUsd) {
      const reason = `cost budget exceeded: $${s.costUsd.toFixed(4)} > $${l.maxCostUsd}`;
      return { status: 'budget_exceeded', reason };
    }
    const turns = Math.max(this.turns, this.progress?.turns ?? 0, s.turns ?? 0);
    if (l.maxTurns !== undefined && turns > l.maxTurns) {
      return { status: 'budget_exceeded', reason: `turn budget exceeded: ${turns} > ${l.maxTurns}` };
    }
    return null;
  }

  /** Checks the clocks (called by a timer). */
  onTick(now: Millis): Stop | null {
    const { maxWallMs, stallMs } = this.limits;
    if (maxWallMs !== undefined && now - this.startedAt > maxWallMs) {
      return { status: 'timed_out', reason: `wall time limit of ${fmtMs(maxWallMs)} reached` };
    }
    if (stallMs !== undefined && now - this.lastEventAt > stallMs) {
      return {
        status: 'stalled',
        reason: `no output for ${fmtMs(now - this.lastEventAt)} (stall limit ${fmtMs(stallMs)})`,
      };
    }
    return null;
  }

  private countTurn(e: TranscriptEvent): void {
    const assistant =
      (e.kind === 'message' && e.role === 'assistant') || e.kind === 'reasoning' || e.kind === 'tool_call';
    if (assistant && !this.inTurn) {
      this.turns++;
      this.inTurn = true;
    } else if (e.kind === 'tool_result' || e.kind === 'command' || e.kind === 'file_change') {
      this.inTurn = false;
    }
  }
}
