import { describe, expect, it } from 'vitest';
import { Transcriber } from './transcriber.ts';
import type { EventDraft, StreamParser } from './transcriptEvent.ts';

const echo: StreamParser = (line) => [{ kind: 'status', status: JSON.stringify(line) }];

describe('Transcriber', () => {
  it('stamps version, seq (from startSeq), time and the raw line', () => {
    let now = 1000;
    const t = new Transcriber({ parse: echo, now: () => now++, startSeq: 7 });
    const events = t.push('{"a":1}\n{"b":2}\n');
    expect(events).toEqual([
      { kind: 'status', status: '{"a":1}', v: 1, seq: 7, at: 1000, raw: { a: 1 } },
      { kind: 'status', status: '{"b":2}', v: 1, seq: 8, at: 1001, raw: { b: 2 } },
    ]);
    expect(t.nextSeq).toBe(9);
  });

  it('turns non-JSON and truncated lines into unknown events, never throwing', () => {
    const t = new Transcriber({ parse: echo, now: () => 0, maxLineLength: 5 });
    expect(t.push('hello\n')).toEqual([
      { kind: 'unknown', text: 'hello', reason: 'not JSON', v: 1, seq: 0, at: 0, raw: 'hello' },
    ]);
    const [cut] = t.push('{"long":true}\n');
    expect(cut).toMatchObject({
      kind: 'unknown',
      truncated: true,
      text: '{"lon… [line truncated: 8 more chars]',
    });
  });

  it('keeps a line the parser has nothing for, or fails on, as unknown', () => {
    const empty = new Transcriber({ parse: () => [], now: () => 0 });
    expect(empty.push('{"type":"x"}\n')).toMatchObject([
      { kind: 'unknown', type: 'x', reason: 'no event for this line' },
    ]);
    const boom = new Transcriber({
      parse: () => {
        throw new Error('boom');
      },
      now: () => 0,
    });
    expect(boom.push('{"type":"y"}\n')).toMatchObject([
      { kind: 'unknown', type: 'y', reason: 'parser failed: boom' },
    ]);
  });

  it('uses a draft raw when given, flushes the last line at end, and stamps non-stream drafts', () => {
    const parse: StreamParser = () => [{ kind: 'status', status: 's', raw: 'own' }];
    const t = new Transcriber({ parse, now: () => 5 });
    expect(t.push('{"a":1}')).toEqual([]);
    expect(t.end()).toMatchObject([{ raw: 'own', seq: 0 }]);
    const drafts: EventDraft[] = [{ kind: 'message', role: 'assistant', text: 'hi', delta: false }];
    expect(t.add(drafts, { doc: true })).toEqual([
      {
        kind: 'message',
        role: 'assistant',
        text: 'hi',
        delta: false,
        v: 1,
        seq: 1,
        at: 5,
        raw: { doc: true },
      },
    ]);
  });

  it('resolves a relative rate-limit delay against the arrival time', () => {
    const parse: StreamParser = () => [{ kind: 'rate_limited', message: 'slow', retry_after_ms: 30_000 }];
    const t = new Transcriber({ parse, now: () => 1_000_000 });
    expect(t.push('{}\n')).toMatchObject([
      { kind: 'rate_limited', reset_at: 1_030_000, retry_after_ms: 30_000 },
    ]);
  });

  it('redacts secrets from payloads and raw lines', () => {
    const parse: StreamParser = (line) => [
      { kind: 'message', role: 'user', text: JSON.stringify(line), delta: false },
    ];
    const t = new Transcriber({ parse, now: () => 0, secrets: ['s3cr3t-value'] });
    const [e] = t.push('{"cmd":"curl -H \'x: s3cr3t-value\' -H \'Authorization: Bearer abcdefghijkl\'"}\n');
    expect(JSON.stringify(e)).not.toContain('s3cr3t-value');
    expect(JSON.stringify(e)).not.toContain('abcdefghijkl');
    expect(e?.raw).toEqual({ cmd: "curl -H 'x: ***' -H 'Authorization: Bearer ***'" });
  });
});
