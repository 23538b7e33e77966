import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccounts, createSignInCode } from '../../src/accounts/bootstrapAccounts.ts';
import { hashSecret } from '../../src/accounts/tokenSecret.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import {
  createApiHarness,
  SIMPLE_WORKFLOW,
  TEST_ADMIN_TOKEN,
  userWithRole,
  type ApiHarness,
} from './apiHarness.ts';

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe.each(DIALECTS)('accounts and access (%s)', (dialect) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness(dialect, { runner: false });
    await h.register(SIMPLE_WORKFLOW);
  });
  afterAll(async () => h.close());

  it('tokens: shown once, stored hashed, prefixed; used, listed, revoked', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'ci', expires_in_days: 7 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const t = created.json<{ id: string; secret: string; prefix: string; expires_at: string }>();
    expect(t.secret).toMatch(/^baton_pat_[0-9A-Za-z]{36}$/);
    expect(t.secret.startsWith(t.prefix)).toBe(true);
    expect(Date.parse(t.expires_at) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const stored = await h.accounts.getToken({ id: t.id });
    expect(stored?.tokenHash).toBe(hashSecret(t.secret));
    expect(JSON.stringify(stored)).not.toContain(t.secret);

    const me = await h.app.inject({ url: '/api/v1/me', headers: bearer(t.secret) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { login: 'admin' }, instance_admin: true, token: { id: t.id } });
    expect((await h.accounts.getToken({ id: t.id }))?.lastUsedAt).not.toBeNull();

    const list = (await h.app.inject({ url: '/api/v1/tokens' })).json<{
      items: Array<Record<string, unknown>>;
    }>();
    expect(list.items.some((x) => x['id'] === t.id)).toBe(true);
    expect(JSON.stringify(list)).not.toContain(t.secret);

    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${t.id}` })).statusCode).toBe(200);
    const after = await h.app.inject({ url: '/api/v1/me', headers: bearer(t.secret) });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'unauthenticated', detail: 'token "ci" was revoked' });
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${t.id}` })).statusCode).toBe(409);
  });

  it('pages through tokens and users with opaque cursors, each once', async () => {
    for (let i = 0; i < 3; i++)
      await h.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: `page-${i}` } });
    await userWithRole(h, `pager-${dialect}`, 'viewer');
    for (const [url, key] of [
      ['/api/v1/tokens?limit=1', 'id'],
      ['/api/v1/users?limit=1', 'login'],
    ] as const) {
      const seen: string[] = [];
      let next: string | null = '';
      while (next !== null) {
        const page: { items: Array<Record<string, string>>; next_cursor: string | null } = (
          await h.app.inject({ url: `${url}${next ? `&cursor=${next}` : ''}` })
        ).json();
        seen.push(...page.items.map((t) => t[key]!));
        next = page.next_cursor;
      }
      expect(seen.length, url).toBeGreaterThanOrEqual(2);
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it('refuses missing, malformed, unknown and expired tokens with the reason', async () => {
    const none = await h.app.inject({ url: '/api/v1/runs', headers: { authorization: '' } });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toMatch(/problem\+json/);
    expect(none.json()).toMatchObject({ code: 'unauthenticated', field: 'authorization' });
    expect(none.headers['www-authenticate']).toBe('Bearer realm="baton"');
    expect(none.json()).toMatchObject({ title: 'Unauthorized' });
    expect(
      (await h.app.inject({ url: '/api/v1/runs', headers: { authorization: 'Basic abc' } })).statusCode,
    ).toBe(401);
    expect(
      (await h.app.inject({ url: '/api/v1/runs', headers: bearer('baton_pat_' + 'x'.repeat(36)) })).json(),
    ).toMatchObject({
      detail: 'the bearer token is not known to this server',
    });
    const secret = await userWithRole(h, 'expiring', 'viewer');
    const token = (await h.accounts.getToken({ hash: hashSecret(secret) }))!;
    await h.accounts.revokeToken(token.id, Date.now());
    expect((await h.app.inject({ url: '/api/v1/runs', headers: bearer(secret) })).statusCode).toBe(401);
  });

  it('a restricted token cannot mint a wider one, and its role cap applies', async () => {
    const capped = await userWithRole(h, 'dana', 'admin', 'default', { role: 'viewer' });
    const me = (await h.app.inject({ url: '/api/v1/me', headers: bearer(capped) })).json<{
      workspaces: unknown[];
    }>();
    expect(me.workspaces).toEqual([{ workspace: 'default', role: 'viewer' }]);
    const run = await h.app.inject({
      method: 'POST',
      url: '/api/v1/workflows/simple/runs',
      headers: bearer(capped),
      payload: {},
    });
    expect(run.statusCode).toBe(403);
    const minted = await h.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(capped),
      payload: { name: 'wider', role: 'admin' },
    });
    expect(minted.statusCode).toBe(201);
    expect(minted.json()).toMatchObject({ role: 'viewer' });
    const scoped = await userWithRole(h, 'erin', 'member', 'default', { workspace: 'default' });
    const other = await h.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(scoped),
      payload: { name: 'elsewhere', workspace: 'other' },
    });
    expect(other.statusCode).toBe(403);
  });

  it('workspaces isolate workflows, runs and idempotency keys', async () => {
    const ws = `team-${dialect}`;
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/v1/workspaces', payload: { id: ws, name: 'Team' } }))
        .statusCode,
    ).toBe(201);
    const maint = await userWithRole(h, `mia-${dialect}`, 'maintainer', ws);
    const src = SIMPLE_WORKFLOW.replace('name: simple', `name: team-flow-${dialect}`);
    const put = await h.app.inject({
      method: 'PUT',
      url: `/api/v1/workflows/team-flow-${dialect}`,
      headers: bearer(maint),
      payload: { source: src, workspace: ws },
    });
    expect(put.statusCode, put.body).toBe(201);
    expect(put.json()).toMatchObject({ workspace: ws });
    const start = (key: string, token: string) =>
      h.app.inject({
        method: 'POST',
        url: `/api/v1/workflows/team-flow-${dialect}/runs`,
        headers: { ...bearer(token), 'idempotency-key': key },
        payload: {},
      });
    const r1 = await start('same-key', maint);
    expect(r1.statusCode).toBe(201);
    expect(r1.json()).toMatchObject({ workspace: ws });
    // the same key in the default workspace is another key
    const d = await h.app.inject({
      method: 'POST',
      url: '/api/v1/workflows/simple/runs',
      headers: { 'idempotency-key': 'same-key' },
      payload: {},
    });
    expect(d.statusCode).toBe(201);
    const viewer = await userWithRole(h, `vic-${dialect}`, 'viewer');
    const runs = (await h.app.inject({ url: '/api/v1/runs?limit=500', headers: bearer(viewer) })).json<{
      items: Array<{ workspace: string }>;
    }>();
    expect(runs.items.length).toBeGreaterThan(0);
    expect(runs.items.every((r) => r.workspace === 'default')).toBe(true);
    const id = r1.json<{ id: string }>().id;
    expect((await h.app.inject({ url: `/api/v1/runs/${id}`, headers: bearer(viewer) })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/api/v1/runs/${id}`, headers: bearer(maint) })).statusCode).toBe(200);
  });

  it('runs name a registered repository and are filtered by it', async () => {
    const name = `acme/app-${dialect}`;
    const repo = await h.app.inject({
      method: 'POST',
      url: '/api/v1/workspaces/default/repositories',
      payload: { name, url: 'https://example.com/acme/app.git' },
    });
    expect(repo.statusCode).toBe(201);
    const run = await h.app.inject({
      method: 'POST',
      url: '/api/v1/workflows/simple/runs',
      payload: { repository: name },
    });
    expect(run.statusCode, run.body).toBe(201);
    expect(run.json()).toMatchObject({ repository_id: repo.json<{ id: string }>().id });
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/v1/workflows/simple/runs',
      payload: { repository: 'acme/nope' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: 'repository' });
    for (const ref of [name, repo.json<{ id: string }>().id]) {
      const list = (await h.app.inject({ url: `/api/v1/runs?repository=${encodeURIComponent(ref)}` })).json<{
        items: Array<{ id: string }>;
      }>();
      expect(list.items.map((r) => r.id)).toEqual([run.json<{ id: string }>().id]);
    }
  });

  it('writes one audit event per mutating call, allowed or denied, and none for reads', async () => {
    const viewer = await userWithRole(h, 'auditee', 'viewer');
    const before = (await h.accounts.listAuditEvents({ limit: 1 }))[0]?.id ?? 0;
    await h.app.inject({ url: '/api/v1/runs', headers: bearer(viewer) });
    const denied = await h.app.inject({
      method: 'POST',
      url: '/api/v1/workflows/simple/runs',
      headers: bearer(viewer),
      payload: {},
    });
    expect(denied.statusCode).toBe(403);
    const ok = await h.app.inject({ method: 'POST', url: '/api/v1/workflows/simple/runs', payload: {} });
    expect(ok.statusCode).toBe(201);
    const rows = (await h.accounts.listAuditEvents({ limit: 10 })).filter((a) => a.id > before);
    expect(
      rows.map((a) => [a.login, a.action, a.outcome, a.statusCode, a.resourceType, a.resourceId]),
    ).toEqual([
      ['admin', 'runs.trigger', 'succeeded', 201, 'workflow', 'simple'],
      ['auditee', 'runs.trigger', 'denied', 403, 'workflow', 'simple'],
    ]);
    expect(String(rows[1]!.detail?.['reason'])).toContain('needs the member role');
    const page = (await h.app.inject({ url: `/api/v1/audit?user=auditee` })).json<{
      items: Array<{ outcome: string }>;
    }>();
    expect(page.items.map((a) => a.outcome)).toEqual(['denied']);
  });

  it('sign-in codes work once, then the session token authenticates', async () => {
    const code = await createSignInCode(h.accounts, h.app.batonOwner.id, Date.now());
    const first = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { code },
      headers: { authorization: '' },
    });
    expect(first.statusCode).toBe(200);
    const session = first.json<{ token: string }>().token;
    expect(session).toMatch(/^baton_ses_/);
    expect((await h.app.inject({ url: '/api/v1/me', headers: bearer(session) })).statusCode).toBe(200);
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { code },
      headers: { authorization: '' },
    });
    expect(again.statusCode).toBe(401);
    const page = await h.app.inject({ url: '/signin', headers: { authorization: '' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('rate-limits the sign-in exchange', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { code: 'not-a-real-code-0000' },
        headers: { authorization: '' },
        remoteAddress: '10.9.9.9',
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json()).toMatchObject({ code: 'rate_limited' });
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
  });

  it('keeps the last admin of a workspace, and BATON_ADMIN_TOKEN rotation revokes the old seed', async () => {
    const ws = `solo-${dialect}`;
    await h.app.inject({ method: 'POST', url: '/api/v1/workspaces', payload: { id: ws, name: 'Solo' } });
    const res = await h.app.inject({
      method: 'PUT',
      url: `/api/v1/workspaces/${ws}/members/admin`,
      payload: { role: 'viewer' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', hint: 'make another member admin first' });
    const rotated = 'baton_pat_rotatedadmintoken000000000';
    await bootstrapAccounts(h.accounts, { adminToken: rotated, now: Date.now() });
    expect((await h.accounts.getToken({ hash: hashSecret(TEST_ADMIN_TOKEN) }))?.revokedAt).not.toBeNull();
    expect((await h.accounts.getToken({ hash: hashSecret(rotated) }))?.kind).toBe('seed');
    await bootstrapAccounts(h.accounts, { adminToken: TEST_ADMIN_TOKEN, now: Date.now() });
  });
});
