import { describe, expect, it } from 'vitest';
import { parseOutputs } from './parseOutputs.ts';

const limits = { valueBytes: 64, totalBytes: 128 };

describe('parseOutputs', () => {
  it('parses key=value, heredocs, CRLF and skips empty lines; later keys win', () => {
    const text = 'a=1\r\n\nb=x=y\nbody<<END\nline 1\n\nline 3\nEND\nempty=\na=2\nheredoc_empty<<X\nX\n';
    expect(parseOutputs(text, limits)).toEqual({
      ok: true,
      outputs: { a: '2', b: 'x=y', body: 'line 1\n\nline 3', empty: '', heredoc_empty: '' },
    });
    expect(parseOutputs('', limits)).toEqual({ ok: true, outputs: {} });
    expect(parseOutputs('k=a<<b\n', limits)).toEqual({ ok: true, outputs: { k: 'a<<b' } });
  });

  it('names the line of an invalid entry', () => {
    const bad = (t: string) => {
      const r = parseOutputs(t, limits);
      return r.ok ? '' : r.message;
    };
    expect(bad('a=1\njunk\n')).toMatch(/line 2/);
    expect(bad('a=1\n\nbody<<END\nnever closed\n')).toMatch(/line 3.*not closed/);
    expect(bad('=value\n')).toMatch(/line 1/);
    expect(bad('x<<\n')).toMatch(/line 1.*empty delimiter/);
    expect(bad('has space=1\n')).toMatch(/line 1/);
  });

  it('enforces the per-value and total limits, naming key and sizes', () => {
    const big = parseOutputs(`big=${'x'.repeat(65)}\n`, limits);
    expect(big).toMatchObject({ ok: false, code: 'output_too_large' });
    expect(big.ok ? '' : big.message).toMatch(/"big" is 65 bytes.*64 bytes/);
    const utf8 = parseOutputs(`u=${'é'.repeat(33)}\n`, limits); // 66 bytes
    expect(utf8).toMatchObject({ ok: false, code: 'output_too_large' });
    const total = parseOutputs(`a=${'x'.repeat(60)}\nb=${'y'.repeat(60)}\nc=${'z'.repeat(10)}\n`, limits);
    expect(total).toMatchObject({ ok: false, code: 'output_too_large' });
    expect(total.ok ? '' : total.message).toMatch(/128 bytes at output "c"/);
  });
});
