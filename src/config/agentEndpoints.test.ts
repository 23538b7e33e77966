import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './loadConfig.ts';

describe('agents.endpoints, BATON_PUBLIC_URL and BATON_CURSOR_WEBHOOK_SECRET', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  function load(yaml: string, env: Record<string, string> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'baton.yaml'), yaml);
    return loadConfig({ BATON_CONFIG: 'baton.yaml', ...env }, dir);
  }

  it('reads named endpoints (the key by variable name), the public URL and the Cursor secret', () => {
    const c = load(
      [
        'agents:',
        '  endpoints:',
        '    nemotron: { base_url: "https://integrate.api.nvidia.com/v1", api_key_env: NVIDIA_API_KEY, model: nvidia/nemotron }',
        '',
      ].join('\n'),
      { BATON_PUBLIC_URL: 'https://baton.example.com/', BATON_CURSOR_WEBHOOK_SECRET: 'x'.repeat(32) },
    );
    expect(c.agentEndpoints).toEqual({
      nemotron: {
        baseUrl: 'https://integrate.api.nvidia.com/v1',
        apiKeyEnv: 'NVIDIA_API_KEY',
        model: 'nvidia/nemotron',
      },
    });
    expect(Object.isFrozen(c.agentEndpoints)).toBe(true);
    expect(c.publicUrl).toBe('https://baton.example.com');
    expect(c.cursorWebhookSecret).toHaveLength(32);
  });

  it('refuses a key given in place of a variable name, and a short Cursor secret, naming the key', () => {
    expect(() => load('agents:\n  endpoints:\n    x: { api_key_env: "sk-abc123" }\n')).toThrow(
      /agents\.endpoints\.x\.api_key_env.*NAME of a server environment variable/s,
    );
    expect(() => loadConfig({ BATON_CURSOR_WEBHOOK_SECRET: 'short' }, '/tmp')).toThrow(
      /BATON_CURSOR_WEBHOOK_SECRET.*at least 32/s,
    );
  });
});
