import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  credentialsPath,
  credentialsPermissionWarning,
  readCredentials,
  removeServerToken,
  saveServerToken,
  tokenFor,
} from './credentials.ts';

describe('credentials file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-creds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is found at BATON_CREDENTIALS_FILE, else under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(credentialsPath({ BATON_CREDENTIALS_FILE: 'c.json' }, '/work', '/home/u')).toBe('/work/c.json');
    expect(credentialsPath({ XDG_CONFIG_HOME: '/xdg' }, '/work', '/home/u')).toBe(
      '/xdg/baton/credentials.json',
    );
    expect(credentialsPath({ XDG_CONFIG_HOME: 'relative' }, '/work', '/home/u')).toBe(
      '/home/u/.config/baton/credentials.json',
    );
    expect(credentialsPath({ HOME: '/h' }, '/work', '/home/u')).toBe('/h/.config/baton/credentials.json');
  });

  it('reads a missing file as empty; writes 0600 in a new 0700 directory; keys are normalized URLs', async () => {
    const path = join(dir, 'cfg', 'baton', 'credentials.json');
    expect(await readCredentials(path)).toEqual({ servers: {} });
    await saveServerToken(path, 'http://127.0.0.1:3020/', 'tok-1', {
      extra: { user: 'ann' },
      makeDefault: true,
    });
    await saveServerToken(path, 'https://baton.example.com/api/v1', 'tok-2');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'cfg', 'baton')).mode & 0o777).toBe(0o700);
    expect(await credentialsPermissionWarning(path)).toBeNull();

    const c = await readCredentials(path);
    expect(c).toEqual({
      servers: {
        'http://127.0.0.1:3020': { user: 'ann', token: 'tok-1' },
        'https://baton.example.com': { token: 'tok-2' },
      },
      default_server: 'http://127.0.0.1:3020',
    });
    expect(tokenFor(c, '127.0.0.1:3020')).toBe('tok-1');
    expect(tokenFor(c, 'http://other:1')).toBeUndefined();

    // a new token keeps the entry's other keys
    await saveServerToken(path, 'http://127.0.0.1:3020', 'tok-3');
    expect((await readCredentials(path)).servers['http://127.0.0.1:3020']).toEqual({
      user: 'ann',
      token: 'tok-3',
    });

    expect(await removeServerToken(path, 'http://127.0.0.1:3020')).toBe(true);
    expect(await removeServerToken(path, 'http://127.0.0.1:3020')).toBe(false);
    expect(await readCredentials(path)).toEqual({
      servers: { 'https://baton.example.com': { token: 'tok-2' } },
    });
  });

  it('refuses a malformed file naming it, and warns when others can read it', async () => {
    const path = join(dir, 'credentials.json');
    writeFileSync(path, '{"servers": {"http://x": {}}}', { mode: 0o644 });
    await expect(readCredentials(path)).rejects.toThrow(/invalid credentials file .*token must be/);
    writeFileSync(path, 'nope');
    await expect(readCredentials(path)).rejects.toMatchObject({ code: 'config_invalid' });
    expect(await credentialsPermissionWarning(path)).toMatch(/readable by other users.*chmod 600/);
    writeFileSync(path, '{"servers": {"http://h:1/": {"token": "t"}}, "default_server": "h:1"}');
    expect(await readCredentials(path)).toEqual({
      servers: { 'http://h:1': { token: 't' } },
      default_server: 'http://h:1',
    });
    expect(readFileSync(path, 'utf8')).toContain('http://h:1/'); // reading never rewrites
  });
});
