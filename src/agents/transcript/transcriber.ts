import type { Millis } from '../../domain/records.ts';
import { LineSplitter, type SplitLine } from './lineSplitter.ts';
import { asRecord, asString } from './jsonFields.ts';
import { redactValue } from './redactSecrets.ts';
import {
  TRANSCRIPT_VERSION,
  type EventDraft,
  type StreamParser,
  type TranscriptEvent,
} from './transcriptEvent.ts';

export interface TranscriberOptions {
  /** the CLI's parser (one per process: parsers keep state between lines) */
  parse: StreamParser;
  /** values to redact from every event (API keys, tokens given to the child) */
  secrets?: readonly string[];
  now?: () => Millis;
  /** seq of the first event (to continue a transcript) */
  startSeq?: number;
  maxLineLength?: number;
}

/**
 * stdout chunks in, stamped transcript events out: splits lines, parses them with the CLI's parser
 * (a non-JSON line, a parser failure or a line it has nothing for become `unknown` events — never
 * thrown), sets `raw`, `v`, `seq`, `at`, turns a relative rate-limit delay into `reset_at`, and
 * redacts secrets from the payload and the raw line before anything is stored.
 */
export class Transcriber {
  private readonly splitter: LineSplitter;
  private readonly parse: StreamParser;
  private readonly secrets: readonly string[];
  private readonly now: () => Millis;
  private seq: number;

  constructor(options: TranscriberOptions) {
    this.parse = options.parse;
    this.secrets = options.secrets ?? [];
    this.now = options.now ?? Date.now;
    this.seq = options.startSeq ?? 0;
    const max = options.maxLineLength;
    this.splitter = new LineSplitter(max === undefined ? {} : { maxLineLength: max });
  }

  /** seq the next event will get */
  get nextSeq(): number {
    return this.seq;
  }

  push(chunk: string | Uint8Array): TranscriptEvent[] {
    return this.splitter.push(chunk).flatMap((line) => this.line(line));
  }

  end(): TranscriptEvent[] {
    return this.splitter.end().flatMap((line) => this.line(line));
  }

  /** Stamps drafts that did not come from a stream (a whole JSON document, a synthesized event). */
  add(drafts: readonly EventDraft[], raw?: unknown): TranscriptEvent[] {
    const at = this.now();
    return drafts.map((d) => this.stamp(d, raw, at));
  }

  private line(line: SplitLine): TranscriptEvent[] {
    if (line.kind === 'text') {
      const draft: EventDraft = { kind: 'unknown', text: line.text, reason: 'not JSON' };
      if (line.truncated) draft.truncated = true;
      return this.add([draft], line.text);
    }
    return this.add(this.safeParse(line.value), line.value);
  }

  private safeParse(value: unknown): EventDraft[] {
    const type = asString(asRecord(value)?.type);
    try {
      const drafts = this.parse(value);
      if (drafts.length > 0) return drafts;
      return [{ kind: 'unknown', ...(type === undefined ? {} : { type }), reason: 'no event for this line' }];
    } catch (e) {
      const reason = `parser failed: ${e instanceof Error ? e.message : String(e)}`;
      return [{ kind: 'unknown', ...(type === undefined ? {} : { type }), reason }];
    }
  }

  private stamp(draft: EventDraft, lineRaw: unknown, at: Millis): TranscriptEvent {
    const { raw = lineRaw, ...data } = draft;
    if (data.kind === 'rate_limited' && data.reset_at === undefined && data.retry_after_ms !== undefined) {
      data.reset_at = at + data.retry_after_ms;
    }
    const event = { ...data, v: TRANSCRIPT_VERSION, seq: this.seq++, at, raw } as TranscriptEvent;
    return redactValue(event, this.secrets);
  }
}
