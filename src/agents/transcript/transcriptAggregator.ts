import { assertExhaustive } from '../../domain/assertExhaustive.ts';
import { relativePath } from './renderEvent.ts';
import { addTokens, emptyTokens } from './tokenCounts.ts';
import { LOOP_THRESHOLD, ToolLoopDetector } from './toolLoopDetector.ts';
import type { FileChangeKind, TranscriptEventData } from './transcriptEvent.ts';
import { emptySummary, type TranscriptSummary } from './transcriptSummary.ts';

export type { TranscriptSummary } from './transcriptSummary.ts';

export interface AggregatorOptions {
  /** identical tool calls in a row that count as a loop */
  loopThreshold?: number;
  /** report changed files relative to it */
  cwd?: string;
}

/** Folds transcript events, one at a time (live) or all at once, into a run summary. */
export class TranscriptAggregator {
  private readonly loops: ToolLoopDetector;
  private readonly s: TranscriptSummary;
  private readonly files = new Map<string, FileChangeKind>();
  private tokens = emptyTokens();
  private usageCost: number | null = null;
  private resultCost: number | null = null;
  private text: string | null = null;
  private accumulating = false;

  constructor(private readonly options: AggregatorOptions = {}) {
    this.loops = new ToolLoopDetector(options.loopThreshold ?? LOOP_THRESHOLD);
    this.s = emptySummary();
  }

  add(e: TranscriptEventData): void {
    const s = this.s;
    s.events++;
    switch (e.kind) {
      case 'session':
        if (e.session_id) s.session_id = e.session_id;
        if (e.model) s.model = e.model;
        return;
      case 'message':
        if (e.role !== 'assistant') return;
        if (!e.delta) this.text = e.text;
        else this.text = this.accumulating ? `${this.text ?? ''}${e.text}` : e.text;
        this.accumulating = e.delta;
        return;
      case 'tool_call':
        this.accumulating = false;
        s.tool_calls[e.name] = (s.tool_calls[e.name] ?? 0) + 1;
        s.tool_call_count++;
        this.loops.push(e.name, e.input);
        return;
      case 'file_change':
        this.fileChange(relativePath(e.path, this.options.cwd), e.change);
        return;
      case 'command':
        s.commands.push({ command: e.command, exit_code: e.exit_code });
        return;
      case 'usage':
        this.tokens = e.mode === 'cumulative' ? { ...e.tokens } : addTokens(this.tokens, e.tokens);
        if (e.cost_usd !== undefined) {
          this.usageCost = e.mode === 'cumulative' ? e.cost_usd : (this.usageCost ?? 0) + e.cost_usd;
        }
        return;
      case 'rate_limited':
        // a later notice of the same limit that does not say when it resets keeps the known time
        s.rate_limit = { reset_at: e.reset_at ?? s.rate_limit?.reset_at ?? null, message: e.message };
        return;
      case 'error':
        if (e.warning) s.warnings++;
        else {
          s.errors++;
          s.last_error = e.message;
        }
        return;
      case 'result':
        this.result(e);
        return;
      case 'unknown':
        s.unknown++;
        return;
      case 'tool_result':
      case 'reasoning':
      case 'plan':
      case 'status':
        return;
      default:
        return assertExhaustive(e, 'transcript event');
    }
  }

  /** The guards' view, without copying the lists `summary()` copies (it runs on every event). */
  get live(): {
    loop: TranscriptSummary['loop'];
    tokens: number;
    costUsd: number | null;
    turns: number | null;
  } {
    return {
      loop: this.loops.loop,
      tokens: this.tokens.input + this.tokens.output,
      costUsd: this.resultCost ?? this.usageCost,
      turns: this.s.num_turns,
    };
  }

  summary(): TranscriptSummary {
    const files_changed = [...this.files].map(([path, change]) => ({ path, change }));
    return {
      ...this.s,
      final_text: this.text,
      usage: { ...this.tokens },
      cost_usd: this.resultCost ?? this.usageCost,
      files_changed,
      commands: [...this.s.commands],
      tool_calls: { ...this.s.tool_calls },
      permission_denials: [...this.s.permission_denials],
      longest_repeat: this.loops.longest,
      loop: this.loops.loop,
    };
  }

  private result(e: Extract<TranscriptEventData, { kind: 'result' }>): void {
    const s = this.s;
    s.status = e.status;
    if (e.session_id) s.session_id = e.session_id;
    if (e.num_turns !== undefined) s.num_turns = (s.num_turns ?? 0) + e.num_turns;
    if (e.cost_usd !== undefined) this.resultCost = e.cost_usd;
    if (e.text) this.text = e.text;
    this.accumulating = false;
    if (e.status !== 'success' && e.error) s.last_error = e.error;
    if (e.permission_denials) s.permission_denials.push(...e.permission_denials);
  }

  private fileChange(path: string, next: FileChangeKind): void {
    const prev = this.files.get(path);
    const merged = prev === undefined ? next : mergeChange(prev, next);
    if (merged === null) this.files.delete(path);
    else this.files.set(path, merged);
  }
}

/** The net effect of two changes to one file; null when it was created and then deleted. */
function mergeChange(prev: FileChangeKind, next: FileChangeKind): FileChangeKind | null {
  if (prev === 'add') return next === 'delete' ? null : 'add';
  if (next === 'delete') return 'delete';
  return 'modify';
}

export function summarizeTranscript(
  events: Iterable<TranscriptEventData>,
  options: AggregatorOptions = {},
): TranscriptSummary {
  const agg = new TranscriptAggregator(options);
  for (const e of events) agg.add(e);
  return agg.summary();
}
