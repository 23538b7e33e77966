import { describe, expect, it } from 'vitest';
import { RUNTIMES } from './roleSchema.ts';
import { agentPoolsOf, isAgentPoolKey, PROVIDERS, providerOf } from './providerOf.ts';

describe('providerOf', () => {
  it('maps every agent runtime to its provider', () => {
    expect(providerOf('claude-code')).toBe('anthropic');
    expect(providerOf('codex')).toBe('openai');
    expect(providerOf('openai-compatible')).toBe('openai');
    expect(providerOf('gemini-cli')).toBe('google');
    expect(providerOf('jules')).toBe('google');
    expect(providerOf('cursor')).toBe('cursor');
  });

  it('has no provider for shell, unknown runtimes or inherited object keys', () => {
    expect(providerOf('shell')).toBeNull();
    expect(providerOf('nope')).toBeNull();
    expect(providerOf('toString')).toBeNull();
    expect(providerOf('__proto__')).toBeNull();
  });

  it('covers every runtime of the catalog but shell, with known providers only', () => {
    for (const r of RUNTIMES) {
      const p = providerOf(r);
      if (r === 'shell') expect(p).toBeNull();
      else expect(PROVIDERS).toContain(p);
    }
  });

  it('names the pools of a runtime', () => {
    expect(agentPoolsOf('codex')).toEqual(['runtime:codex', 'provider:openai']);
    expect(agentPoolsOf('shell')).toEqual(['runtime:shell']);
    expect(isAgentPoolKey('runtime:codex')).toBe(true);
    expect(isAgentPoolKey('provider:google')).toBe(true);
    expect(isAgentPoolKey('deploy:prod')).toBe(false);
  });
});
