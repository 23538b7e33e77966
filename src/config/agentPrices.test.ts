import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { costFromPrices } from '../agents/transcript/priceTable.ts';
import { emptyTokens } from '../agents/transcript/tokenCounts.ts';
import { loadConfig } from './loadConfig.ts';

describe('agents.prices configuration', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  function load(yaml: string) {
    const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'baton.yaml'), yaml);
    return loadConfig({ BATON_CONFIG: 'baton.yaml' }, dir);
  }

  it('has no prices by default', () => {
    expect(loadConfig({}, '/tmp').agentPrices).toEqual({});
    expect(load('agents:\n  concurrency:\n    runtimes: { codex: 2 }\n').agentPrices).toEqual({});
  });

  it('reads model names and globs, frozen, next to agents.concurrency', () => {
    const c = load(
      [
        'agents:',
        '  concurrency:',
        '    runtimes: { codex: 2 }',
        '  prices:',
        '    "gpt-5*": { input: 1.25, output: 10, cached_input: 0.125 }',
        '    gemini-2.5-pro: { input: 1.25, output: 10 }',
        '',
      ].join('\n'),
    );
    expect(c.agentPrices).toEqual({
      'gpt-5*': { input: 1.25, output: 10, cached_input: 0.125 },
      'gemini-2.5-pro': { input: 1.25, output: 10 },
    });
    expect(c.agentPoolLimits).toEqual({ 'runtime:codex': 2 });
    expect(Object.isFrozen(c.agentPrices)).toBe(true);
    expect(Object.isFrozen(c.agentPrices?.['gpt-5*'])).toBe(true);
    const tokens = { ...emptyTokens(), input: 1_000_000, output: 1_000_000 };
    expect(costFromPrices(tokens, 'gpt-5-codex', c.agentPrices)).toBe(11.25);
  });

  it('rejects bad entries, naming the key and what was expected', () => {
    expect(() => load('agents:\n  prices:\n    gpt-5: { input: -1, output: 10 }\n')).toThrow(
      /agents\.prices\.gpt-5\.input: must be 0 or more/,
    );
    expect(() => load('agents:\n  prices:\n    gpt-5: { input: "cheap", output: 10 }\n')).toThrow(
      /agents\.prices\.gpt-5\.input: must be a number: USD per million tokens/,
    );
    expect(() => load('agents:\n  prices:\n    gpt-5: { input: 1 }\n')).toThrow(
      /agents\.prices\.gpt-5\.output/,
    );
    expect(() => load('agents:\n  prices:\n    gpt-5: { input: 1, output: 2, cache: 1 }\n')).toThrow(
      /agents\.prices\.gpt-5: .*cache/,
    );
    expect(() => load('agents:\n  prices: [1, 2]\n')).toThrow(/agents\.prices: must map model names/);
    expect(() => load('agents:\n  prices:\n    "gpt 5": { input: 1, output: 2 }\n')).toThrow(
      /agents\.prices\.gpt 5: a model name or glob is 1 to 200 characters, without spaces/,
    );
  });
});
