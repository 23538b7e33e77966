import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './loadConfig.ts';

describe('agent concurrency configuration', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  function configFile(yaml: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'baton.yaml'), yaml);
    return dir;
  }

  it('has no pool limits by default', () => {
    expect(loadConfig({}, '/tmp').agentPoolLimits).toEqual({});
  });

  it('reads agents.concurrency from the file as pool keys; the environment wins', () => {
    const dir = configFile(
      'agents:\n  concurrency:\n    runtimes: { claude-code: 4, codex: 2 }\n    providers: { anthropic: 8 }\n',
    );
    const c = loadConfig(
      { BATON_CONFIG: 'baton.yaml', BATON_AGENT_CONCURRENCY: 'runtime:codex=1, provider:google=3' },
      dir,
    );
    expect(c.agentPoolLimits).toEqual({
      'runtime:claude-code': 4,
      'runtime:codex': 1,
      'provider:anthropic': 8,
      'provider:google': 3,
    });
  });

  it('rejects unknown runtimes and providers and non-positive limits, naming the key', () => {
    const dir = configFile('agents:\n  concurrency:\n    runtimes: { claude: 4 }\n');
    expect(() => loadConfig({ BATON_CONFIG: 'baton.yaml' }, dir)).toThrow(/agents\.concurrency\.runtimes/);
    expect(() => loadConfig({ BATON_AGENT_CONCURRENCY: 'provider:anthropik=2' }, '/tmp')).toThrow(
      /BATON_AGENT_CONCURRENCY: "provider:anthropik=2" must be/,
    );
    expect(() => loadConfig({ BATON_AGENT_CONCURRENCY: 'runtime:codex=0' }, '/tmp')).toThrow(
      /runtime:codex=0/,
    );
  });
});
