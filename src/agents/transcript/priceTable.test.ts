import { describe, expect, it } from 'vitest';
import { costFromPrices, findModelPrice, type PriceTable } from './priceTable.ts';
import { emptyTokens, type TokenCounts } from './tokenCounts.ts';

const tokens = (t: Partial<TokenCounts>): TokenCounts => ({ ...emptyTokens(), ...t });

const TABLE: PriceTable = {
  'gpt-5': { input: 1.25, output: 10, cached_input: 0.125 },
  'gpt-5*': { input: 2, output: 20 },
  'gpt-5-mini*': { input: 0.25, output: 2, cached_input: 0.025 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-?.?-flash': { input: 0.3, output: 2.5 },
};

describe('findModelPrice', () => {
  it('takes the exact name first, then the longest matching glob', () => {
    expect(findModelPrice('gpt-5', TABLE)?.pattern).toBe('gpt-5');
    expect(findModelPrice('gpt-5-codex', TABLE)?.pattern).toBe('gpt-5*');
    expect(findModelPrice('gpt-5-mini-2025-08-07', TABLE)?.pattern).toBe('gpt-5-mini*');
    expect(findModelPrice('gemini-2.5-flash', TABLE)?.pattern).toBe('gemini-?.?-flash');
    expect(findModelPrice('gemini-2.5-flash-lite', TABLE)).toBeUndefined();
    expect(findModelPrice('claude-sonnet-4', TABLE)).toBeUndefined();
  });

  it('treats every other character literally (dots, brackets, slashes)', () => {
    const t: PriceTable = { 'models/a.b*': { input: 1, output: 1 }, '[x]*': { input: 2, output: 2 } };
    expect(findModelPrice('models/a.b-1', t)?.pattern).toBe('models/a.b*');
    expect(findModelPrice('models/aXb-1', t)).toBeUndefined();
    expect(findModelPrice('[x]-model', t)?.pattern).toBe('[x]*');
    expect(findModelPrice('x-model', t)).toBeUndefined();
  });

  it('breaks ties between globs of equal length without depending on key order', () => {
    const a: PriceTable = { 'ab*?': { input: 1, output: 1 }, 'a*cd': { input: 2, output: 2 } };
    const b: PriceTable = { 'a*cd': { input: 2, output: 2 }, 'ab*?': { input: 1, output: 1 } };
    // both match "abcd"; 'a*cd' has more literal characters
    expect(findModelPrice('abcd', a)?.pattern).toBe('a*cd');
    expect(findModelPrice('abcd', b)?.pattern).toBe('a*cd');
    const c: PriceTable = {
      'x*z': { input: 1, output: 1 },
      'x?*': { input: 2, output: 2 },
      '*yz': { input: 3, output: 3 },
    };
    expect(findModelPrice('xyz', c)?.pattern).toBe('*yz');
  });

  it('does not see inherited keys', () => {
    expect(findModelPrice('constructor', {})).toBeUndefined();
    expect(findModelPrice('toString', TABLE)).toBeUndefined();
  });
});

describe('costFromPrices', () => {
  it('prices uncached input, cached input and output per million tokens', () => {
    // 1M prompt tokens of which 400k cached, 100k output on gpt-5
    const usd = costFromPrices(
      tokens({ input: 1_000_000, cached_input: 400_000, output: 100_000 }),
      'gpt-5',
      TABLE,
    );
    expect(usd).toBeCloseTo(0.6 * 1.25 + 0.4 * 0.125 + 0.1 * 10, 9);
  });

  it('bills cached input at the input price when the entry has no cached_input price', () => {
    const usd = costFromPrices(
      tokens({ input: 2_000, cached_input: 1_000, output: 500 }),
      'gpt-5-codex',
      TABLE,
    );
    expect(usd).toBeCloseTo((2_000 * 2 + 500 * 20) / 1e6, 9);
  });

  it('counts reasoning and cache writes inside output and input (no double billing)', () => {
    const usd = costFromPrices(
      tokens({ input: 1_000, cache_write: 600, output: 1_000, reasoning: 800 }),
      'gemini-2.5-pro',
      TABLE,
    );
    expect(usd).toBeCloseTo((1_000 * 1.25 + 1_000 * 10) / 1e6, 9);
  });

  it('rounds to whole nano-dollars', () => {
    const usd = costFromPrices(tokens({ input: 3, output: 0 }), 'x', { x: { input: 0.1, output: 0 } });
    expect(usd).toBe(0.0000003);
  });

  it('never bills more cached tokens than prompt tokens, nor negative counts', () => {
    const usd = costFromPrices(tokens({ input: 100, cached_input: 500, output: -5 }), 'gpt-5', TABLE);
    expect(usd).toBeCloseTo((100 * 0.125) / 1e6, 12);
  });

  it('is null without a model, a table or a matching entry; zero tokens cost zero', () => {
    expect(costFromPrices(tokens({ input: 10 }), null, TABLE)).toBeNull();
    expect(costFromPrices(tokens({ input: 10 }), undefined, TABLE)).toBeNull();
    expect(costFromPrices(tokens({ input: 10 }), '', TABLE)).toBeNull();
    expect(costFromPrices(tokens({ input: 10 }), 'gpt-5', undefined)).toBeNull();
    expect(costFromPrices(tokens({ input: 10 }), 'o3', TABLE)).toBeNull();
    expect(costFromPrices(emptyTokens(), 'gpt-5', TABLE)).toBe(0);
  });
});
