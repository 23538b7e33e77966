import { describe, expect, it } from 'vitest';
import { LineSplitter, type SplitLine } from './lineSplitter.ts';

const all = (s: LineSplitter, chunks: (string | Uint8Array)[]): SplitLine[] => [
  ...chunks.flatMap((c) => s.push(c)),
  ...s.end(),
];

describe('LineSplitter', () => {
  it('buffers partial lines until their newline', () => {
    const s = new LineSplitter();
    expect(s.push('{"a":')).toEqual([]);
    expect(s.push('1}\n{"b"')).toEqual([{ kind: 'json', value: { a: 1 }, text: '{"a":1}' }]);
    expect(s.push(':2}\n')).toEqual([{ kind: 'json', value: { b: 2 }, text: '{"b":2}' }]);
    expect(s.end()).toEqual([]);
  });

  it('accepts CRLF (even split between chunks), skips blank lines, flushes the last line at end', () => {
    const lines = all(new LineSplitter(), ['{"a":1}\r', '\n\r\n   \n{"b":2}']);
    expect(lines.map((l) => l.text)).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('keeps non-JSON lines (and JSON that is not an object or array) as text', () => {
    const lines = all(new LineSplitter(), ['warning: something\n{not json}\n42\n[1,2]\n']);
    expect(lines).toEqual([
      { kind: 'text', text: 'warning: something', truncated: false },
      { kind: 'text', text: '{not json}', truncated: false },
      { kind: 'text', text: '42', truncated: false },
      { kind: 'json', value: [1, 2], text: '[1,2]' },
    ]);
  });

  it('decodes UTF-8 split inside a character', () => {
    const bytes = new TextEncoder().encode('{"t":"a — é 🎉"}\n');
    const s = new LineSplitter();
    const lines = [...bytes].flatMap((b) => s.push(Uint8Array.of(b)));
    expect(lines).toEqual([{ kind: 'json', value: { t: 'a — é 🎉' }, text: '{"t":"a — é 🎉"}' }]);
  });

  it('cuts an over-long line with a marker and keeps only the limit in memory', () => {
    const s = new LineSplitter({ maxLineLength: 12 });
    const out = [...s.push('{"x":"'), ...s.push('y'.repeat(1000)), ...s.push('"}\n{"ok":true}\n')];
    expect(out).toEqual([
      { kind: 'text', text: '{"x":"yyyyyy… [line truncated: 996 more chars]', truncated: true },
      { kind: 'json', value: { ok: true }, text: '{"ok":true}' },
    ]);
    expect(
      all(new LineSplitter({ maxLineLength: 4 }), ['abcdefgh']).map((l) =>
        l.kind === 'text' ? l.truncated : null,
      ),
    ).toEqual([true]);
  });

  it('strips a byte-order mark', () => {
    expect(all(new LineSplitter(), ['\uFEFF{"a":1}\n'])).toEqual([
      { kind: 'json', value: { a: 1 }, text: '{"a":1}' },
    ]);
  });
});
