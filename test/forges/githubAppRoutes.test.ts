import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGithub, type FakeGithub } from '../../src/forges/github/fake/fakeGithub.ts';
import { createApiHarness, userWithRole, type ApiHarness } from '../api/apiHarness.ts';
import { APP_ID, appPrivateKey } from './githubForgeFixture.ts';

interface RepoItem {
  full_name: string;
  private: boolean;
  default_branch: string;
  installation_id: number;
  registered: boolean;
}

describe('GitHub App routes (fake GitHub App)', () => {
  let gh: FakeGithub;
  let h: ApiHarness;
  let acme: number;
  let beta: number;

  beforeAll(async () => {
    gh = await startFakeGithub();
    const privateKey = appPrivateKey();
    gh.registerApp({ appId: APP_ID, privateKeyPem: privateKey, slug: 'baton' });
    acme = gh.installApp(APP_ID, { account: 'acme', accountType: 'Organization' }).id;
    beta = gh.installApp(APP_ID, { account: 'beta', repositories: ['tool'] }).id;
    await gh.createRepo('acme', 'app', { files: { 'README.md': '# app\n' } });
    await gh.createRepo('acme', 'lib', { files: { 'README.md': '# lib\n' } });
    await gh.createRepo('beta', 'tool', { files: { 'README.md': '# tool\n' } });
    await gh.createRepo('beta', 'hidden', { files: { 'README.md': '# hidden\n' } });
    await gh.createRepo('elsewhere', 'x', { files: { 'README.md': '# x\n' } });
    h = await createApiHarness('sqlite', {
      runner: false,
      config: {
        github: { apiUrl: gh.url, gitUrl: gh.url, auth: { kind: 'app', appId: APP_ID, privateKey } },
      },
    });
    const reg = await h.app.inject({
      method: 'POST',
      url: '/api/v1/workspaces/default/repositories',
      payload: { name: 'acme/app', url: `${gh.url}/acme/app.git` },
    });
    expect(reg.statusCode, reg.body).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
    await gh?.close();
  });

  it("the callback verifies the installation and lists its repositories, marking the workspace's", async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/auth/github-app/callback',
      payload: { installation_id: acme, setup_action: 'install', workspace: 'default' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      configured: boolean;
      installation: { id: number; account: string; repository_selection: string };
      repositories: RepoItem[];
    }>();
    expect(body.configured).toBe(true);
    expect(body.installation).toEqual({ id: acme, account: 'acme', repository_selection: 'all' });
    expect(body.repositories.map((r) => [r.full_name, r.registered]).sort()).toEqual([
      ['acme/app', true],
      ['acme/lib', false],
    ]);
    expect(body.repositories[0]).toMatchObject({
      private: false,
      default_branch: 'main',
      installation_id: acme,
    });
    expect(gh.serverErrors).toEqual([]);
  });

  it("takes GitHub's setup URL parameters from the query string too", async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/auth/github-app/callback?installation_id=${beta}&setup_action=update&workspace=default`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ installation: { repository_selection: string }; repositories: RepoItem[] }>();
    expect(body.installation.repository_selection).toBe('selected');
    expect(body.repositories.map((r) => r.full_name)).toEqual(['beta/tool']);
  });

  it('an unknown installation is a 404 problem; a missing one a 400', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/auth/github-app/callback',
      payload: { installation_id: 987654, workspace: 'default' },
    });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json<{ code: string; field: string }>()).toMatchObject({
      code: 'not_found',
      field: 'installation_id',
    });
    const missing = await h.app.inject({
      method: 'POST',
      url: '/auth/github-app/callback',
      payload: { setup_action: 'request' },
    });
    expect(missing.statusCode, missing.body).toBe(400);
  });

  it('the callback needs workspace.write (admin); a maintainer is refused', async () => {
    const token = await userWithRole(h, 'maint', 'maintainer');
    const res = await h.app.inject({
      method: 'POST',
      url: '/auth/github-app/callback',
      headers: { authorization: `Bearer ${token}` },
      payload: { installation_id: acme, workspace: 'default' },
    });
    expect(res.statusCode).toBe(403);
  });

  it("lists every installation's repositories for a workspace, marked when registered", async () => {
    const res = await h.app.inject({ url: '/api/v1/workspaces/default/github/repos' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ configured: boolean; mode: string; items: RepoItem[]; truncated: boolean }>();
    expect(body).toMatchObject({ configured: true, mode: 'app', truncated: false });
    expect(body.items.map((r) => [r.full_name, r.installation_id, r.registered]).sort()).toEqual([
      ['acme/app', acme, true],
      ['acme/lib', acme, false],
      ['beta/tool', beta, false],
    ]);
    // another workspace has registered nothing
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/workspaces',
      payload: { id: 'other', name: 'Other' },
    });
    const other = await h.app.inject({ url: '/api/v1/workspaces/other/github/repos' });
    expect(other.json<{ items: RepoItem[] }>().items.every((r) => !r.registered)).toBe(true);
  });
});

describe('GitHub App routes without an App', () => {
  let h: ApiHarness;
  afterAll(async () => h?.close());

  it('answer configured: false with a hint when GitHub is not configured', async () => {
    h = await createApiHarness('sqlite', { runner: false });
    const cb = await h.app.inject({
      method: 'POST',
      url: '/auth/github-app/callback',
      payload: { installation_id: 1, setup_action: 'install' },
    });
    expect(cb.statusCode, cb.body).toBe(200);
    const body = cb.json<{ configured: boolean; hint: string }>();
    expect(Object.keys(body).sort()).toEqual(['configured', 'hint']);
    expect(body.configured).toBe(false);
    expect(body.hint).toContain('BATON_GITHUB_APP_ID');
    const repos = await h.app.inject({ url: '/api/v1/workspaces/default/github/repos' });
    expect(repos.statusCode, repos.body).toBe(200);
    expect(repos.json()).toMatchObject({ configured: false, items: [] });
  });

  it('with a token: the callback is not configured, the list is empty with a hint', async () => {
    const t = await createApiHarness('sqlite', {
      runner: false,
      config: {
        github: {
          apiUrl: 'http://127.0.0.1:9',
          gitUrl: 'http://127.0.0.1:9',
          auth: { kind: 'token', token: 't' },
        },
      },
    });
    try {
      const cb = await t.app.inject({
        method: 'POST',
        url: '/auth/github-app/callback',
        payload: { installation_id: 1 },
      });
      expect(cb.json()).toMatchObject({ configured: false });
      const repos = await t.app.inject({ url: '/api/v1/workspaces/default/github/repos' });
      expect(repos.json()).toMatchObject({ configured: true, mode: 'token', items: [] });
    } finally {
      await t.close();
    }
  });
});
