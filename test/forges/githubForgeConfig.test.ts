import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/loadConfig.ts';
import { appPrivateKey } from './githubForgeFixture.ts';

describe('the GitHub forge settings (BATON_GITHUB_*)', () => {
  const pem = appPrivateKey();

  it('is absent without an App or a token, and reads a token with the default URLs', () => {
    expect(loadConfig({}).github).toBeUndefined();
    expect(loadConfig({ BATON_GITHUB_TOKEN: 'ghp_x' }).github).toEqual({
      apiUrl: 'https://api.github.com',
      gitUrl: 'https://github.com',
      auth: { kind: 'token', token: 'ghp_x' },
    });
  });

  it('reads an App with its PEM inline (one-line \\n form) or from a file, frozen', () => {
    const c = loadConfig({
      BATON_GITHUB_APP_ID: '12',
      BATON_GITHUB_APP_PRIVATE_KEY: pem.trim().replace(/\n/g, '\\n'),
      BATON_GITHUB_API_URL: 'https://ghe.example/api/v3/',
    });
    expect(c.github).toMatchObject({
      apiUrl: 'https://ghe.example/api/v3',
      auth: { kind: 'app', appId: 12 },
    });
    expect(c.github?.auth.kind === 'app' && c.github.auth.privateKey).toBe(pem.trim() + '\n');
    expect(Object.isFrozen(c.github)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'baton-gh-config-'));
    try {
      writeFileSync(join(dir, 'app.pem'), pem);
      const f = loadConfig({ BATON_GITHUB_APP_ID: '12', BATON_GITHUB_APP_PRIVATE_KEY_FILE: 'app.pem' }, dir);
      expect(f.github?.auth).toMatchObject({ kind: 'app', appId: 12 });
      expect(() =>
        loadConfig({ BATON_GITHUB_APP_ID: '12', BATON_GITHUB_APP_PRIVATE_KEY_FILE: 'missing.pem' }, dir),
      ).toThrow(/cannot read BATON_GITHUB_APP_PRIVATE_KEY_FILE/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses incomplete or conflicting settings with clear errors', () => {
    expect(() => loadConfig({ BATON_GITHUB_APP_ID: '12' })).toThrow(/needs its private key/);
    expect(() => loadConfig({ BATON_GITHUB_APP_PRIVATE_KEY: pem })).toThrow(/without the App id/);
    expect(() => loadConfig({ BATON_GITHUB_APP_ID: '12', BATON_GITHUB_APP_PRIVATE_KEY: 'nope' })).toThrow(
      /must be a PEM private key/,
    );
    expect(() =>
      loadConfig({ BATON_GITHUB_APP_ID: '12', BATON_GITHUB_APP_PRIVATE_KEY: pem, BATON_GITHUB_TOKEN: 't' }),
    ).toThrow(/not both/);
    expect(() => loadConfig({ BATON_GITHUB_APP_ID: 'abc' })).toThrow(/BATON_GITHUB_APP_ID/);
    expect(() => loadConfig({ BATON_GITHUB_API_URL: 'ftp://x' })).toThrow(/BATON_GITHUB_API_URL/);
  });
});
