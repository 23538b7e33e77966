import { describeAbortReason } from '../../../domain/describeAbortReason.ts';
import { Transcriber } from '../../transcript/transcriber.ts';
import { TranscriptAggregator } from '../../transcript/transcriptAggregator.ts';
import type { EventDraft } from '../../transcript/transcriptEvent.ts';
import type { TranscriptSummary } from '../../transcript/transcriptSummary.ts';
import type { AgentRunLimits, AgentRunOptions } from '../AgentRunResult.ts';
import { RunGuards, type Stop } from '../runGuards.ts';

const TICK_MS = 100;
const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export interface HttpRunContextOptions extends Pick<AgentRunOptions, 'onEvent' | 'startSeq'> {
  limits?: AgentRunLimits;
  /** values redacted from every event (the API key) */
  secrets: readonly string[];
  /** the caller's signal: aborting it cancels the run */
  outer?: AbortSignal;
}

/**
 * The state of one HTTP agent run: stamps drafts into transcript events (seq, at, raw, secrets
 * redacted) for `onEvent`, checks the limits on each event and on a timer, and aborts `signal` —
 * the one every HTTP call takes — at the first hard stop (limit, cancellation, failing sink).
 */
export class HttpRunContext {
  /** the first hard stop, once one happened */
  stop: Stop | null = null;
  readonly startedAt = Date.now();
  private readonly ctl = new AbortController();
  private readonly transcriber: Transcriber;
  private readonly agg = new TranscriptAggregator();
  private readonly guards: RunGuards;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = (): void => this.cancel();

  constructor(private readonly o: HttpRunContextOptions) {
    this.transcriber = new Transcriber({
      parse: () => [],
      secrets: o.secrets,
      ...(o.startSeq === undefined ? {} : { startSeq: o.startSeq }),
    });
    this.guards = new RunGuards(o.limits ?? {}, this.agg, undefined, this.startedAt);
    this.timer = setInterval(() => this.halt(this.guards.onTick(Date.now())), TICK_MS);
    o.outer?.addEventListener('abort', this.onAbort, { once: true });
    if (o.outer?.aborted) this.cancel();
  }

  /** aborted at the first hard stop: pass it to every HTTP call and wait */
  get signal(): AbortSignal {
    return this.ctl.signal;
  }

  summary(): TranscriptSummary {
    return this.agg.summary();
  }

  /** Stamps, records and delivers events; `raw` is what the API sent (redacted here). */
  emit(drafts: readonly EventDraft[], raw?: unknown): void {
    for (const e of this.transcriber.add(drafts, raw)) {
      this.agg.add(e);
      try {
        this.o.onEvent?.(e);
      } catch (err) {
        this.halt({ status: 'failed', reason: `the event sink failed: ${errorMessage(err)}` });
      }
      this.halt(this.guards.onEvent(e, Date.now()));
    }
  }

  /** Ends the run with this stop (the first one wins) and aborts the pending HTTP calls. */
  halt(stop: Stop | null): void {
    if (stop === null || this.stop !== null) return;
    this.stop = stop;
    clearInterval(this.timer);
    this.ctl.abort(new Error(stop.reason));
  }

  /** Waits `ms`, or less when the run is halted. */
  async sleep(ms: number): Promise<void> {
    if (this.signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.signal.addEventListener('abort', done, { once: true });
    });
  }

  dispose(): void {
    clearInterval(this.timer);
    this.o.outer?.removeEventListener('abort', this.onAbort);
  }

  private cancel(): void {
    this.halt({ status: 'cancelled', reason: `cancelled (${describeAbortReason(this.o.outer?.reason)})` });
  }
}
