import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteHarness, type RemoteHarness } from './remoteHarness.ts';

describe('baton token, login and logout (sqlite)', () => {
  let h: RemoteHarness;
  beforeAll(async () => {
    h = await createRemoteHarness('sqlite');
  });
  afterAll(async () => h.close());

  it('creates a token over the API, shows the secret once, lists and revokes it', async () => {
    const created = await h.remote(['token', 'create', '--name', 'laptop', '--expires-in-days', '5']);
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^baton_pat_[0-9A-Za-z]{36}$/);
    expect(created.stderr).toContain('not shown again');

    const ls = await h.remote(['runs', 'ls'], { BATON_TOKEN: secret });
    expect(ls.code, ls.stderr).toBe(0);

    const list = await h.remote(['--json', 'token', 'list']);
    const items = JSON.parse(list.stdout) as Array<{ id: string; name: string; last_used_at: string | null }>;
    const mine = items.find((t) => t.name === 'laptop')!;
    expect(mine.last_used_at).not.toBeNull();
    expect(list.stdout).not.toContain(secret);

    const revoked = await h.remote(['token', 'revoke', mine.id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const refused = await h.remote(['runs', 'ls'], { BATON_TOKEN: secret });
    expect(refused.code).toBe(77);
    expect(refused.stderr).toMatch(/401 unauthenticated: token "laptop" was revoked/);
  });

  it('creates the first token on the database itself, which the server then accepts', async () => {
    const local = await h.local([
      'token',
      'create',
      '--name',
      'bootstrap',
      '--no-expiry',
      '--role',
      'viewer',
    ]);
    expect(local.code, local.stderr).toBe(0);
    const secret = local.stdout.trim();
    const me = await h.remote(['--json', 'runs', 'ls'], { BATON_TOKEN: secret });
    expect(me.code, me.stderr).toBe(0);
    const denied = await h.remote(['queue', 'pause'], { BATON_TOKEN: secret });
    expect(denied.code).toBe(77);
    expect(denied.stderr).toMatch(/403/);
    const bad = await h.local(['token', 'create', '--name', 'x', '--role', 'owner']);
    expect(bad.code).toBe(64);
  });

  it('login stores a checked token (0600), used without BATON_TOKEN; logout forgets it', async () => {
    const created = await h.remote(['token', 'create', '--name', 'login']);
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    const login = await h.remote(['login'], { BATON_TOKEN: secret });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('as admin');
    const file = join(h.dir, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(secret);
    const ls = await h.remote(['runs', 'ls'], { BATON_TOKEN: '' });
    expect(ls.code, ls.stderr).toBe(0);
    const wrong = await h.remote(['login'], { BATON_TOKEN: 'baton_pat_' + 'y'.repeat(36) });
    expect(wrong.code).toBe(77);
    expect((await h.remote(['logout'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain(secret);
    const anon = await h.remote(['runs', 'ls'], { BATON_TOKEN: '' });
    expect(anon.code).toBe(77);
  });
});
